"""What an app holds besides its config: the loaded dataset and what is built on it."""

from dataclasses import dataclass, field

from chipkg.queries import StoredQuery, stored_queries

from .dataset import Dataset, layout_of
from .description import Descriptions
from .protocol.engine import Engine
from .errors import not_ready
from .hardening.fairness import Budget
from .metrics import Metrics


@dataclass
class Served:
    """A dataset ready to query: the store, its engine and its descriptions."""
    dataset: Dataset
    engine: Engine
    descriptions: Descriptions
    views: dict = field(default_factory=dict)   # evidence views: catalogue and cached view stores


@dataclass
class State:
    config: dict
    metrics: Metrics = field(default_factory=Metrics)
    served: Served | None = None
    queries: dict[str, StoredQuery] = field(default_factory=dict)
    budget: Budget | None = None

    def __post_init__(self):
        if self.config["FAIR_REQUESTS_PER_MINUTE"] or self.config["FAIR_QUERY_SECONDS_PER_MINUTE"]:
            self.budget = Budget()      # shared memory: made before gunicorn forks
        folder = layout_of(self.config).queries_dir
        self.queries = stored_queries(folder) if folder.is_dir() else {}

    def attach(self, dataset: Dataset) -> None:
        """Serve `dataset` from now on: the app becomes ready."""
        config = self.config
        engine = Engine(dataset.store, timeout=config["QUERY_TIMEOUT_SECONDS"],
                        max_rows=config["MAX_RESULT_ROWS"],
                        max_concurrent=config["MAX_CONCURRENT_QUERIES"],
                        retry_after=config["RETRY_AFTER_SECONDS"], metrics=self.metrics,
                        demote_after=config["QUERY_DEMOTE_AFTER_CPU_SECONDS"],
                        slot_wait=config["SLOT_WAIT_SECONDS"],
                        max_long=config["MAX_LONG_QUERIES"])
        self.metrics.gauges.update({
            "triples": ("Distinct triples served (union of all graphs)", dataset.triples),
            "named_graphs": ("Named graphs served", len(dataset.graphs)),
        })
        served = Served(dataset, engine, Descriptions(dataset, config))
        if config["VIEW_PRELOAD"]:
            from .views import preload
            preload(served, config)
        self.served = served

    def ready(self) -> Served:
        if self.served is None:
            raise not_ready()
        return self.served
