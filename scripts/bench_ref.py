#!/usr/bin/env python3
"""A Python stand-in for the reference optimizer of issue 10's table.

The Python original this design came from is not part of this repository.
This is the same chat turn written the way such a reference is written:
the graph (6 providers, one implicit intent) is built once, in-process,
and each turn takes the contract and the state as Python objects (no JSON)
and returns the chosen provider and the failover order. It applies the
formulas of docs/DESIGN.md (the estimate of the message, the dilation of
each resource from health and latency, RESOURCE_DOWN for an open breaker,
MISSING_CAPABILITY, stepCost with the default weights) and does less than
the module: no plan id, no rejection reasons, no constraints, no budget or
latency search, no rounding of the outputs. It chooses what the module
chooses, in the same failover order (checked at start).

    python3 scripts/bench_ref.py [rounds]

prints one JSON line: {"nsPerTurn": [...]} (one figure per round, each the
mean over about 0.3 s of turns), and the chosen order.
"""
import json
import re
import sys
import time

PROVIDERS = [  # name, per token, per call, latency target ms, capabilities
    ("anthropic", 0.000015, 0, 1800, {"chat", "tools", "vision"}),
    ("google", 0.000007, 0, 1600, {"chat", "tools", "vision"}),
    ("groq", 0.0000008, 0, 600, {"chat"}),
    ("local", 0, 0.0001, 2500, {"chat", "deterministic"}),
    ("mistral", 0.000004, 0, 1400, {"chat", "tools"}),
    ("openai", 0.00001, 0, 1500, {"chat", "tools", "vision"}),
]
NOW = 1_700_000_000_000
STATE = {
    "tick": 42, "now": NOW,
    "health": {"openai": 0.97, "anthropic": 1, "groq": 0.8},
    "latencyMs": {"openai": 1700, "anthropic": 1500, "groq": 900},
    "breakers": {"groq": {"state": "degraded", "errors": 1, "level": 0},
                 "mistral": {"state": "circuit_open", "errors": 3, "level": 1, "openUntil": NOW + 30000}},
}
CONTRACT = {"id": "chat-turn", "intent": "Compare the latest pricing of the two plans and tell me which is cheaper?",
            "maxCost": 0.05, "maxLatencyMs": 10000}
W_LAT, W_COMP, W_RISK, W_INST = 0.3, 0.4, 0.2, 0.1

FRESH = {"latest", "current", "today", "recent", "news", "price", "pricing", "now"}
ANALYTIC = {"compare", "versus", "vs", "difference", "why", "evaluate", "analyse", "analyze", "tradeoff", "tradeoffs"}
UNSURE = {"unsure", "maybe", "unclear", "verify"}
WORD = re.compile(r"[a-z0-9']+")


def clamp(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


def dilation(u, p, c, x):
    u, p, c, x = clamp(u, 0, 1), clamp(p, 0, 1), clamp(c, 0, 1), clamp(x, 0, 1)
    d = clamp((1 + u) / ((1 + c) * (1 + p)), 0.1, 5.0)
    return clamp((1 - x) * d + x * 0.1, 0.1, 5.0)


def estimate(text):
    ws = set(WORD.findall(text.lower()))
    u = 0.3
    if ws & FRESH or any(len(w) == 4 and w.isdigit() and w.startswith("20") for w in ws):
        u += 0.3
    if ws & ANALYTIC:
        u += 0.2
    if ws & UNSURE:
        u += 0.2
    if text.count("?") >= 2:
        u += 0.1
    if len(text) > 280:
        u += 0.1
    return dilation(min(u, 1), 0, 0.5, 0)


def turn(graph, contract, state, tokens=1000):
    d_intent = estimate(contract["intent"])
    health, lat_ms, breakers, now = state["health"], state["latencyMs"], state["breakers"], state["now"]
    ranked = []
    for name, per_token, per_call, target, caps in graph:
        b = breakers.get(name)
        h = health.get(name, 1.0)
        if (b and b["state"] in ("circuit_open", "quota_hit") and now < b.get("openUntil", 0)) or h <= 0:
            continue  # RESOURCE_DOWN
        if "chat" not in caps:
            continue  # MISSING_CAPABILITY
        lat = lat_ms.get(name, target)
        d = 1.0  # a resource S says nothing about keeps D = 1
        if name in health or name in lat_ms:
            ratio = lat / target
            p = max(0.0, 1 - 1 / max(ratio, 0.01))
            d = dilation(1 - h, p, h * max(0.0, 1 - abs(ratio - 1)), 0)
        money = per_token * tokens + per_call
        instability = min(1.0, (b["errors"] if b else 0) / 3)
        cost = d_intent * (W_LAT * lat * d / 10000 + W_COMP * money + W_RISK * (1 - h) + W_INST * instability)
        if money <= contract["maxCost"] and lat * d <= contract["maxLatencyMs"]:
            ranked.append((cost, name))
    ranked.sort()
    return [name for _, name in ranked]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    graph = PROVIDERS  # built once: the graph is already there when a turn comes
    order = turn(graph, CONTRACT, STATE)
    want = ["anthropic", "openai", "google", "local", "groq"]  # the module's step and fallbacks
    if order != want:
        raise SystemExit(f"bench_ref: chose {order}, the module chooses {want}")
    out = []
    n = 1000
    for _ in range(rounds):
        while True:
            t0 = time.perf_counter_ns()
            for _ in range(n):
                turn(graph, CONTRACT, STATE)
            dt = time.perf_counter_ns() - t0
            if dt >= 300_000_000:
                break
            n = max(n * 2, int(n * 0.36e9 / max(dt, 1)))
        out.append(dt / n)
    print(json.dumps({"nsPerTurn": out, "order": order, "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
