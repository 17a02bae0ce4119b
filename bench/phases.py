"""The measuring phases of one benchmark size (bench/run.py): answers compared across
servers, sequential latency, and throughput at concurrent clients. A server whose request
timed out is restarted, so the work it is still doing does not slow down what follows."""

import measure
import queries as Q
import servers as S


def accept_for(name: str) -> str:
    """What to ask a server for: N-Triples for CONSTRUCT/DESCRIBE, else SPARQL JSON."""
    return measure.GRAPH_ACCEPT if Q.is_graph_query(name) else measure.SELECT_ACCEPT


def correctness(started, clients, args, result) -> None:
    """Each query once on each server (also a warm-up): status and rows, compared."""
    for name in list(Q.QUERIES) + ["ask"]:
        graph = Q.is_graph_query(name)
        accept = accept_for(name)
        entry = result["queries"].setdefault(name, {"rows": {}, "latency": {}, "errors": {}})
        for server in started:
            try:
                _, status, body = clients[server.name].get(server.query_target(Q.text(name)), accept)
                if status == 200:
                    entry["rows"][server.name] = measure.count_rows(body, graph)
                else:
                    entry["errors"][server.name] = f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
            except OSError as error:
                entry["errors"][server.name] = f"no answer within {client_timeout(args):g} s: {error}"
                restart(server, started, clients, args, result)
        answers = set(map(str, entry["rows"].values()))
        entry["agree"] = len(answers) <= 1


def sequential(started, clients, args, budget, result, names, reps, key) -> None:
    """Interleaved repetitions: for each rep, each query, each server (rotating order)."""
    times: dict = {(q, s.name): [] for q in names for s in started}
    spent: dict = {k: 0.0 for k in times}
    dead = {k for k in times if s_err(result, *k)}
    for rep in range(reps):
        if budget.left() < 30:
            result.setdefault("notes", []).append(f"{key}: stopped after {rep} repetitions (time budget)")
            break
        for q in names:
            accept = accept_for(q)
            turn = rep % len(started)
            for server in started[turn:] + started[:turn]:     # rotating order, current servers
                k = (q, server.name)
                if k in dead or (spent[k] > args.pair_cap and len(times[k]) >= 3):
                    continue
                try:
                    elapsed, status, _ = clients[server.name].get(server.query_target(Q.text(q)), accept)
                except OSError:
                    dead.add(k)
                    message = f"no answer within {client_timeout(args):g} s"
                    result["queries"][q]["errors"][server.name] = message
                    restart(server, started, clients, args, result)
                    continue
                if status != 200:
                    dead.add(k)
                    result["queries"][q]["errors"].setdefault(server.name, f"HTTP {status}")
                    continue
                times[k].append(elapsed)
                spent[k] += elapsed
    for (q, name), values in times.items():
        target = result["ask"] if q == "ask" else result["queries"][q]["latency"]
        target[name] = {**measure.summary(values), "of": reps}


def client_timeout(args) -> float:
    """The client waits a little longer than the servers' own limit, so a server that
    enforces it answers (503) before the client gives up."""
    return args.timeout + 15


def restart(server, started, clients, args, result) -> None:
    """A server whose query timed out may still be working on it: start it afresh, so the
    work it keeps doing does not slow down what is measured next."""
    server.stop()
    if server in S.LAUNCHED:
        S.LAUNCHED.remove(server)
    fresh = server.restart()
    fresh.restart = server.restart
    started[started.index(server)] = fresh
    clients[server.name].close()
    clients[server.name] = measure.Client(fresh, client_timeout(args))
    result["notes"].append(f"{server.name} restarted after a request timed out "
                           f"({fresh.startup_seconds:.1f} s to start again)")


def s_err(result, q, name) -> bool:
    return name in result["queries"].get(q, {}).get("errors", {})


def throughput(started, clients, args, budget, result) -> None:
    for q in [q.strip() for q in args.throughput_queries.split(",") if q.strip()]:
        accept = accept_for(q)
        cell = result["throughput"].setdefault(q, {})
        for server in list(started):
            if budget.left() < args.duration + 30:
                cell[server.name] = {"skipped": "time budget exhausted"}
                continue
            if s_err(result, q, server.name):
                cell[server.name] = {"skipped": "query failed sequentially"}
                continue
            cell[server.name] = measure.throughput(server, server.query_target(Q.text(q)), accept,
                                                   args.clients, args.duration, client_timeout(args))
            if server.process.poll() is not None:
                cell[server.name]["error"] = f"server died (exit code {server.process.returncode})"
                restart(server, started, clients, args, result)
            print(f"  throughput {q} {server.name}: {cell[server.name].get('requests_per_s')} req/s",
                  flush=True)
