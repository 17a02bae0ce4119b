"""Word lists and sentence templates of the synthetic graph generator (chipkg.synth).

Every quote template of an officially confirmed level avoids the hedging words the
shapes warn about (reportedly, rumour, sources said, ...); every hedge cue listed
with a template is a substring of that template, as ck:hedgeCue wants ("copied as
they appear"). Names and filler sentences carry some non-ASCII characters so quote
offsets are really counted in code points, not bytes.
"""

# ---------------------------------------------------------------- names

ORG_HEADS = ("Ax", "Bel", "Cor", "Dyn", "Ei", "Fal", "Gra", "Hel", "Ion", "Jun", "Kry", "Lum",
             "Mer", "Nov", "Ori", "Pax", "Qua", "Ryl", "Syn", "Tor", "Ult", "Ver", "Wex", "Xen",
             "Yor", "Zen", "Å", "Øre", "Éla", "Mü")
ORG_MIDDLES = ("a", "e", "i", "o", "u", "ar", "en", "ix", "on", "yr")
ORG_TAILS = ("tek", "tron", "ion", "ica", "sys", "gen", "wave", "core", "mind", "logic")
ROLE_SUFFIX = {
    "ModelLab": "AI", "ChipDesigner": "Semiconductor", "Foundry": "Foundry",
    "MemoryMaker": "Memory", "CloudProvider": "Cloud", "Publisher": "Media",
}

FIRST_NAMES = ("Ada", "Bo", "Chen", "Dara", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jae", "Kofi",
               "Lena", "Mateo", "Noor", "Oskar", "Priya", "Quinn", "Rui", "Sofía", "Tomás", "Uma",
               "Vik", "Wen", "Yusuf", "Zoë")
LAST_NAMES = ("Abe", "Brandt", "Castro", "Dubois", "Eriksen", "Fujita", "García", "Haddad", "Ivanov",
              "Jensen", "Kim", "Lindqvist", "Mensah", "Nakamura", "Okafor", "Park", "Quispe",
              "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Wójcik", "Yilmaz", "Zhou")

CHIP_WORDS = ("Orion", "Vela", "Lyra", "Draco", "Cygnus", "Aquila", "Corvus", "Hydra", "Pyxis",
              "Carina", "Fornax", "Lynx", "Norma", "Tucana", "Volans", "Peñasco", "Ångström",
              "Cobalt", "Basalt", "Quartz", "Garnet", "Jasper", "Onyx", "Opal", "Topaz", "Zircon",
              "Jalapeño", "Habanero", "Serrano", "Poblano")
FAMILY_WORDS = ("Forge", "Engine", "Core", "Fabric", "Stream", "Pulse", "Spark", "Atlas")

# ---------------------------------------------------------------- vocabularies (local names in ck:)

ROLES = ("ModelLab", "ChipDesigner", "Foundry", "MemoryMaker", "CloudProvider", "Publisher")
ROLE_WEIGHTS = (0.20, 0.30, 0.07, 0.08, 0.12, 0.23)
STAGES = ("Exploration", "Design", "TapeOut", "EngineeringSamples", "Deployment",
          "LargeScaleUse", "MassProduction")
STAGE_WORDS = ("exploration", "formal design", "tape-out", "engineering samples", "deployment",
               "large-scale commercial use", "mass production")
PURPOSES = (("Inference",), ("Training",), ("Training", "Inference"))
PURPOSE_WORDS = {("Inference",): "inference", ("Training",): "training",
                 ("Training", "Inference"): "training and inference"}
RELIABILITY = ("A", "B", "C", "D", "E", "F")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Evidence levels: local name in ev:, share among claims, confidence band in hundredths.
LEVELS = ("OfficiallyConfirmed", "Reported", "Speculative", "Unsupported", "Denied")
LEVEL_WEIGHTS = (0.28, 0.36, 0.18, 0.10, 0.08)
BANDS = {"OfficiallyConfirmed": (90, 100), "Reported": (55, 85), "Speculative": (20, 55),
         "Unsupported": (5, 45), "Denied": (0, 20)}
ASSESSMENT = {
    "OfficiallyConfirmed": "The source cites a party to the fact on record (its own announcement, "
                           "filing or executive).",
    "Reported": "The source reports it as fact or relays other reports; no party has confirmed "
                "it on record.",
    "Speculative": "A possibility or an outsider's inference the source raises without "
                   "confirmation.",
    "Unsupported": "The source says publicly verifiable information does not support it.",
    "Denied": "A party to the fact has publicly denied it, as the source reports.",
}

# ---------------------------------------------------------------- deals

# deal type -> (label, "what" phrase; {chip}/{product}/{gw} filled in)
DEAL_KINDS = {
    "FoundryOrder": ("foundry order", "a foundry order for the {chip} chip"),
    "SupplyAgreement": ("supply agreement", "a supply agreement for {product}"),
    "ComputeCommitment": ("compute commitment", "a compute commitment of up to {gw} GW"),
    "Investment": ("investment", "an equity investment"),
    "CoDevelopment": ("co-development", "a co-development agreement for the {chip} chip"),
    "StrategicAgreement": ("strategic agreement", "a strategic partnership"),
}
MEMORY_PRODUCTS = ("HBM4 memory", "high-bandwidth memory", "HBM3E stacks", "enterprise SSDs",
                   "LPDDR6 modules", "CXL memory expanders")

# (quote template, claim-text template, hedge cues). Fields: A, B, what, when.
DEAL_QUOTES = {
    "OfficiallyConfirmed": (
        ("{A} announced {when} that it has signed {what} with {B}.",
         "{A} and {B} agreed on {what}.", ()),
        ("In a joint statement, {A} and {B} confirmed {what}.",
         "{A} and {B} agreed on {what}.", ()),
        ("{B} said in a regulatory filing that it had entered into {what} with {A}.",
         "{A} and {B} agreed on {what}.", ()),
        ("“We are delighted to deepen our work with {B},” {A}’s chief executive said, announcing {what}.",
         "{A} and {B} agreed on {what}.", ()),
    ),
    "Reported": (
        ("{A} has reportedly reached {what} with {B}.",
         "{A} and {B} agreed on {what}.", ("reportedly",)),
        ("According to reports, {A} and {B} have agreed on {what}.",
         "{A} and {B} agreed on {what}.", ("According to reports",)),
        ("People familiar with the matter said {A} signed {what} with {B} {when}.",
         "{A} and {B} agreed on {what}.", ("People familiar with the matter said",)),
        ("Trade publications report that {A} and {B} finalised {what}, though neither company has commented.",
         "{A} and {B} agreed on {what}.", ("Trade publications report", "neither company has commented")),
    ),
    "Speculative": (
        ("Analysts speculate that {A} could turn to {B} for {what}.",
         "{A} and {B} will agree on {what}.", ("speculate", "could")),
        ("Some in the market expect {A} may sign {what} with {B}, but nothing has been confirmed.",
         "{A} and {B} will agree on {what}.", ("may", "nothing has been confirmed")),
        ("If talks succeed, {A} and {B} might announce {what} {when}.",
         "{A} and {B} will agree on {what}.", ("If talks succeed", "might")),
    ),
    "Unsupported": (
        ("Claims that {A} has secured {what} with {B} are not well supported by publicly "
         "verifiable information.",
         "{A} and {B} agreed on {what}.", ("not well supported by publicly verifiable information",)),
        ("Online posts describe {what} between {A} and {B}, but no public record backs them.",
         "{A} and {B} agreed on {what}.", ("no public record backs them",)),
    ),
    "Denied": (
        ("{B} denied that it had signed {what} with {A}.",
         "{A} and {B} agreed on {what}.", ("denied",)),
        ("A spokesperson for {A} called reports of {what} with {B} “inaccurate”.",
         "{A} and {B} agreed on {what}.", ("called reports", "“inaccurate”")),
    ),
}

# Fields: D designer, C chip, stage, next, purpose, F foundry.
CHIP_QUOTES = {
    "OfficiallyConfirmed": (
        ("{D} said its {C} chip for {purpose} has reached the {stage} stage.",
         "{C} has reached the {stage} stage.", ()),
        ("{D} unveiled {C}, an accelerator built for {purpose}, and said it is now in {stage}.",
         "{C} is designed for {purpose} and is in {stage}.", ()),
    ),
    "Reported": (
        ("{C}, {D}’s {purpose} chip, is reportedly in {stage}.",
         "{C} is in {stage}.", ("reportedly",)),
        ("According to reports, {D} has moved {C} into {stage}.",
         "{C} is in {stage}.", ("According to reports",)),
    ),
    "Speculative": (
        ("Observers speculate that {C} could reach {next} within a year.",
         "{C} will reach {next} within a year.", ("speculate", "could")),
        ("{D} may rely on {F} to manufacture {C}, some analysts believe.",
         "{F} will manufacture {C}.", ("may", "some analysts believe")),
    ),
    "Unsupported": (
        ("Posts claiming that {C} has entered {next} are not backed by any public evidence.",
         "{C} has entered {next}.", ("not backed by any public evidence",)),
    ),
    "Denied": (
        ("{D} denied that {C} had been cancelled.",
         "{D} has cancelled {C}.", ("denied",)),
        ("{D} rejected claims that {C} failed its {stage} tests.",
         "{C} failed its {stage} tests.", ("rejected claims",)),
    ),
}

# Fields: P person, O1 from, O2 to.
MOVE_QUOTES = {
    "OfficiallyConfirmed": (
        ("{O2} confirmed that {P}, formerly of {O1}, has joined its hardware team.",
         "{P} moved from {O1} to {O2}.", ()),
    ),
    "Reported": (
        ("According to reports, {P} has left {O1} to join {O2}.",
         "{P} moved from {O1} to {O2}.", ("According to reports",)),
    ),
    "Speculative": (
        ("{P}, who led chip work at {O1}, may be heading to {O2}, observers speculate.",
         "{P} will move from {O1} to {O2}.", ("may", "observers speculate")),
    ),
    "Unsupported": (
        ("Rumours that {P} joined {O2} from {O1} are not supported by public records.",
         "{P} moved from {O1} to {O2}.", ("Rumours", "not supported by public records")),
    ),
    "Denied": (
        ("{O1} denied that {P} had left for {O2}.",
         "{P} moved from {O1} to {O2}.", ("denied",)),
    ),
}

# Fields: O organization, thing, when.
ORG_THINGS = {
    "ModelLab": ("frontier model", "inference cluster", "reasoning model"),
    "ChipDesigner": ("accelerator roadmap", "custom-silicon unit", "chiplet platform"),
    "Foundry": ("2-nanometre process line", "advanced packaging line", "fab in Arizona"),
    "MemoryMaker": ("HBM production line", "memory fab", "CXL memory line"),
    "CloudProvider": ("data-center region", "GPU cloud", "AI supercomputer"),
    "Publisher": ("research newsletter", "chip-industry desk", "analyst briefing"),
}
ORG_QUOTES = {
    "OfficiallyConfirmed": (
        ("{O} announced a new {thing} {when}.", "{O} launched a new {thing}.", ()),
    ),
    "Reported": (
        ("{O} is reportedly expanding its {thing}.", "{O} is expanding its {thing}.", ("reportedly",)),
    ),
    "Speculative": (
        ("{O} could double spending on its {thing} next year, analysts speculate.",
         "{O} will double spending on its {thing} next year.", ("could", "analysts speculate")),
    ),
    "Unsupported": (
        ("Claims that {O} has abandoned its {thing} lack any verifiable basis.",
         "{O} has abandoned its {thing}.", ("lack any verifiable basis",)),
    ),
    "Denied": (
        ("{O} denied that it was winding down its {thing}.",
         "{O} is winding down its {thing}.", ("denied",)),
    ),
}

FILLERS = (
    "Demand for AI accelerators kept rising through the quarter—especially for inference.",
    "Prices quoted in euros (€) and yen (¥) were converted at the day’s rate.",
    "Industry veterans call this the “compute crunch”.",
    "Supply of advanced packaging remains tight, and lead times stretch beyond a year.",
    "Power, not chips, is increasingly the limit on new data centers.",
    "Several model labs are hedging between GPUs and custom silicon.",
    "The numbers could not be independently verified.",
    "Memory makers have sold out much of next year’s high-bandwidth memory.",
    "Analysts at a Zürich-based firm expect capital spending to grow again.",
    "Export rules continue to shape where the most advanced chips can ship.",
    "None of the companies named here responded to requests for comment by publication time.",
    "Custom chips take years to mature, and most never reach volume.",
    "Foundry capacity at the leading edge is concentrated in a handful of sites.",
    "Investors are watching whether inference costs fall fast enough to pay for the build-out.",
    "The café-lined district around the campus has become a hub for chip start-ups.",
    "Training clusters now span tens of thousands of accelerators.",
    "A naïve reading of the order book would overstate near-term revenue.",
    "Software ecosystems remain the strongest moat in the accelerator market.",
)
HEADLINES = (
    "{A} and {B} deepen their ties as the AI chip race heats up",
    "What {A}’s latest moves mean for {B}",
    "Inside the scramble for compute: {A}, {B} and the supply chain",
    "{A} bets on custom silicon while {B} expands capacity",
    "Chip watch: {A}, {B} and the road to mass production",
)
