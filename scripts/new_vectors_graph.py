# One-off authoring helper (kept for reference): writes the request side of
# the graph/dilation/protocol vectors; responses come from
# `UPDATE_GOLDEN=1 go test ./core/api -run TestConformance` and are reviewed.
import json, os
D = os.path.join(os.path.dirname(__file__), '..', 'testdata', 'conformance')

def rpc(method, params=None, id=1):
    r = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        r["params"] = params
    return r

def vec(name, request=None, text=None):
    v = {"name": name}
    if text is not None:
        v["requestText"] = text
    else:
        v["request"] = request
    v["response"] = None
    with open(os.path.join(D, name + ".json"), "w") as f:
        json.dump(v, f, indent=2)
        f.write("\n")

chat = {"nodes": [
    {"id": "ask", "kind": "intent", "text": "compare the latest prices", "capabilities": ["chat"], "labels": ["pii"]},
    {"id": "openai", "kind": "resource", "provider": "openai", "capabilities": ["chat"], "costPerToken": 0.00001, "latencyTargetMs": 1500},
    {"id": "anthropic", "kind": "resource", "provider": "anthropic", "capabilities": ["chat", "deterministic"], "costPerToken": 0.000012},
    {"id": "local", "kind": "resource", "resourceKind": "vm", "provider": "local", "capabilities": ["chat"], "health": 0.5},
    {"id": "budget", "kind": "constraint", "predicate": "money <= 0.02", "severity": "hard"},
    {"id": "policy", "kind": "authority", "policySet": [{"effect": "deny", "provider": "local"}]},
    {"id": "notes", "kind": "memory", "content": "user prefers short answers", "accessPolicy": "operator", "labels": ["pii"]},
    {"id": "panel", "kind": "projection", "viewType": "cockpit", "sources": ["ask"]},
  ], "edges": [
    {"from": "ask", "to": "openai", "kind": "executes_on"},
    {"from": "ask", "to": "anthropic", "kind": "executes_on", "weight": 1.2},
    {"from": "ask", "to": "notes", "kind": "observes"},
    {"from": "budget", "to": "local", "kind": "blocks"},
    {"from": "panel", "to": "ask", "kind": "projects_to"},
    {"from": "openai", "to": "anthropic", "kind": "swaps_to"},
  ]}

# protocol
vec("rpc-version", rpc("version", {}))
vec("rpc-version-no-params", rpc("version"))
vec("rpc-parse-error", text='{"jsonrpc":"2.0","id":1,"method":"version",')
vec("rpc-parse-error-garbage", text='not json at all')
vec("rpc-empty-request", text='')
vec("rpc-invalid-request-not-object", text='42')
vec("rpc-invalid-request-no-version", {"id": 1, "method": "version"})
vec("rpc-invalid-request-wrong-version", {"jsonrpc": "1.0", "id": 1, "method": "version"})
vec("rpc-invalid-request-method-type", {"jsonrpc": "2.0", "id": 1, "method": 7})
vec("rpc-invalid-request-bad-id", {"jsonrpc": "2.0", "id": {"x": 1}, "method": "version"})
vec("rpc-invalid-request-unknown-member", {"jsonrpc": "2.0", "id": 1, "method": "version", "parms": {}})
vec("rpc-params-not-object", rpc("version", [1, 2]))
vec("rpc-unknown-method", rpc("graph.explode", {}))
vec("rpc-string-id", rpc("version", {}, id="abc-1"))
vec("rpc-null-id", rpc("version", {}, id=None))
vec("rpc-notification", {"jsonrpc": "2.0", "method": "version"})
vec("rpc-batch-mixed", [rpc("version", {}, 1), {"jsonrpc": "2.0", "method": "version"}, rpc("nope", {}, 2), 5,
                        rpc("dilation.compute", {"uncertainty": 1, "costPressure": 0, "confidence": 0}, 3)])
vec("rpc-batch-empty", [])
vec("rpc-batch-only-notifications", [{"jsonrpc": "2.0", "method": "version"}, {"jsonrpc": "2.0", "method": "dilation.compute", "params": {}}])
vec("rpc-batch-limit", [{"jsonrpc": "2.0", "method": "version"}] * 257)
vec("rpc-internal-panic-recovered", [rpc("debug.panic", {}, 1), rpc("version", {}, 2)])
vec("rpc-unknown-param", rpc("version", {"verbose": True}))

# graph
vec("graph-validate-chat", rpc("graph.validate", {"graph": chat}))
vec("graph-validate-empty", rpc("graph.validate", {"graph": {"nodes": [], "edges": []}}))
vec("graph-validate-missing-graph", rpc("graph.validate", {}))
vec("graph-validate-bad-kind", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}, {"id": "b", "kind": "widget"}], "edges": []}}))
vec("graph-validate-wrong-type", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "resource", "costPerToken": "cheap"}], "edges": []}}))
vec("graph-validate-unknown-field", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "resource", "colour": "red"}], "edges": []}}))
vec("graph-validate-missing-id", rpc("graph.validate", {"graph": {"nodes": [{"kind": "intent"}], "edges": []}}))
vec("graph-validate-duplicate-node", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}, {"id": "a", "kind": "memory"}], "edges": []}}))
vec("graph-validate-edge-unknown-node", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}], "edges": [{"from": "a", "to": "ghost", "kind": "requires"}]}}))
# a requires b (b first), c transforms_into b (c first), a transforms_into c (a first): a cycle.
vec("graph-validate-cycle", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}, {"id": "b", "kind": "intent"}, {"id": "c", "kind": "intent"}],
    "edges": [{"from": "a", "to": "b", "kind": "requires"}, {"from": "c", "to": "b", "kind": "transforms_into"}, {"from": "a", "to": "c", "kind": "transforms_into"}]}}))
# b requires a and b transforms_into a agree (a first): no cycle.
vec("graph-validate-consistent-ordering", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}, {"id": "b", "kind": "intent"}],
    "edges": [{"from": "b", "to": "a", "kind": "requires"}, {"from": "a", "to": "b", "kind": "transforms_into"}]}}))
vec("graph-validate-bad-edge-kind", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}], "edges": [{"from": "a", "to": "a", "kind": "likes"}]}}))
vec("graph-validate-bad-health", rpc("graph.validate", {"graph": {"nodes": [{"id": "r", "kind": "resource", "health": 1.5}], "edges": []}}))
vec("graph-validate-duplicate-edge-merged", rpc("graph.validate", {"graph": {"nodes": [{"id": "a", "kind": "intent"}, {"id": "b", "kind": "intent"}],
    "edges": [{"from": "a", "to": "b", "kind": "enables"}, {"from": "a", "to": "b", "kind": "enables", "weight": 3}]}}))
vec("graph-validate-handle-rejected", rpc("graph.validate", {"handle": "g1"}))
vec("graph-create-export", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.export", {"handle": "g1"}, 2)])
vec("graph-create-both-graph-and-handle", rpc("graph.create", {"graph": {"nodes": [], "edges": []}, "handle": "g1"}))
vec("graph-apply-ops", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [
    {"op": "addNode", "node": {"id": "gemini", "kind": "resource", "provider": "google", "capabilities": ["chat"], "costPerToken": 0.000008}},
    {"op": "addEdge", "edge": {"from": "ask", "to": "gemini", "kind": "executes_on"}},
    {"op": "addEdge", "edge": {"from": "ask", "to": "gemini", "kind": "executes_on"}},
    {"op": "removeEdge", "from": "ask", "to": "notes", "kind": "observes"},
    {"op": "advanceTick"},
    {"op": "removeNode", "id": "local"}]}, 2), rpc("graph.query", {"handle": "g1", "query": "snapshot"}, 3)])
vec("graph-apply-all-or-nothing", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [
    {"op": "addNode", "node": {"id": "x", "kind": "intent"}},
    {"op": "addEdge", "edge": {"from": "x", "to": "nowhere", "kind": "requires"}}]}, 2),
    rpc("graph.query", {"handle": "g1", "query": "snapshot"}, 3)])
vec("graph-apply-cycle", [rpc("graph.create", {"graph": {"nodes": [{"id": "a", "kind": "intent"}, {"id": "b", "kind": "intent"}], "edges": [{"from": "a", "to": "b", "kind": "requires"}]}}, 1),
    rpc("graph.apply", {"handle": "g1", "ops": [{"op": "addEdge", "edge": {"from": "b", "to": "a", "kind": "requires"}}]}, 2)])
vec("graph-apply-duplicate-node", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [{"op": "advanceTick"}, {"op": "addNode", "node": {"id": "ask", "kind": "intent"}}]}, 2)])
vec("graph-apply-unknown-op", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [{"op": "teleport"}]}, 2)])
vec("graph-apply-foreign-field", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [{"op": "removeNode", "id": "local", "node": {"id": "x", "kind": "intent"}}]}, 2)])
vec("graph-apply-missing-field", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [{"op": "removeEdge", "from": "a", "to": "b"}]}, 2)])
vec("graph-apply-bad-node-in-op", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [{"op": "addNode", "node": {"id": "z", "kind": "resource", "severity": "mild"}}]}, 2)])
vec("graph-apply-unknown-edge", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [{"op": "removeEdge", "from": "ask", "to": "local", "kind": "executes_on"}]}, 2)])
vec("graph-swap-new-node", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [
    {"op": "swapNode", "oldId": "openai", "node": {"id": "mistral", "kind": "resource", "provider": "mistral", "capabilities": ["chat"]}}]}, 2),
    rpc("graph.query", {"handle": "g1", "query": "edgesTo", "id": "mistral"}, 3)])
vec("graph-swap-declared-replacement", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [
    {"op": "swapNode", "oldId": "openai", "node": {"id": "anthropic", "kind": "resource", "provider": "anthropic", "capabilities": ["chat", "deterministic"], "costPerToken": 0.000012}}]}, 2),
    rpc("graph.export", {"handle": "g1"}, 3)])
vec("graph-swap-unknown-old", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.apply", {"handle": "g1", "ops": [
    {"op": "swapNode", "oldId": "ghost", "node": {"id": "x", "kind": "resource"}}]}, 2)])
vec("graph-query-all", [rpc("graph.create", {"graph": chat}, 1),
    rpc("graph.query", {"handle": "g1", "query": "getNode", "id": "anthropic"}, 2),
    rpc("graph.query", {"handle": "g1", "query": "nodesByKind", "kind": "resource"}, 3),
    rpc("graph.query", {"handle": "g1", "query": "edgesFrom", "id": "ask"}, 4),
    rpc("graph.query", {"handle": "g1", "query": "edgesTo", "id": "ask"}, 5),
    rpc("graph.query", {"handle": "g1", "query": "blockedBy", "id": "local"}, 6),
    rpc("graph.query", {"handle": "g1", "query": "requiredBy", "id": "ask"}, 7),
    rpc("graph.query", {"handle": "g1", "query": "snapshot"}, 8)])
vec("graph-query-inline", rpc("graph.query", {"graph": chat, "query": "requiredBy", "id": "ask"}))
vec("graph-query-unknown-node", rpc("graph.query", {"graph": chat, "query": "getNode", "id": "ghost"}))
vec("graph-query-bad-query", rpc("graph.query", {"graph": chat, "query": "shortestPath"}))
vec("graph-query-missing-id", rpc("graph.query", {"graph": chat, "query": "edgesFrom"}))
vec("graph-unknown-handle", rpc("graph.export", {"handle": "g42"}))
vec("graph-drop", [rpc("graph.create", {"graph": chat}, 1), rpc("graph.drop", {"handle": "g1"}, 2), rpc("graph.drop", {"handle": "g1"}, 3), rpc("graph.export", {"handle": "g1"}, 4)])
vec("graph-meta-preserved", [rpc("graph.create", {"graph": {"nodes": [{"id": "a", "kind": "intent", "meta": {"z": [1, 2.50, {"k": "v"}], "a": None}}], "edges": []}}, 1), rpc("graph.export", {"handle": "g1"}, 2)])

# dilation
vec("dilation-compute-neutral", rpc("dilation.compute", {"uncertainty": 0, "costPressure": 0, "confidence": 0}))
vec("dilation-compute-max-uncertainty", rpc("dilation.compute", {"uncertainty": 1, "costPressure": 0, "confidence": 0}))
vec("dilation-compute-balanced", rpc("dilation.compute", {"uncertainty": 0.8, "costPressure": 0.2, "confidence": 0.5}))
vec("dilation-compute-half", rpc("dilation.compute", {"uncertainty": 1, "costPressure": 1, "confidence": 1}))
vec("dilation-compute-collapse", rpc("dilation.compute", {"uncertainty": 0.9, "costPressure": 0.1, "confidence": 0.2, "collapseProximity": 1}))
vec("dilation-compute-clamped-inputs", rpc("dilation.compute", {"uncertainty": 7, "costPressure": -3, "confidence": -1, "collapseProximity": 0.5}))
vec("dilation-compute-missing", rpc("dilation.compute", {"uncertainty": 0.5, "confidence": 0.5}))
vec("dilation-compute-wrong-type", rpc("dilation.compute", {"uncertainty": "high", "costPressure": 0, "confidence": 0}))
vec("dilation-fromhealth-healthy", rpc("dilation.fromHealth", {"health": 1, "latencyRatio": 1}))
vec("dilation-fromhealth-degraded", rpc("dilation.fromHealth", {"health": 0.2, "latencyRatio": 3}))
vec("dilation-grounding-low", rpc("dilation.grounding", {"d": 0.4}))
vec("dilation-grounding-two", rpc("dilation.grounding", {"d": 2}))
vec("dilation-grounding-three", rpc("dilation.grounding", {"d": 3}))
vec("dilation-grounding-custom-bases", rpc("dilation.grounding", {"d": 1.5, "baseMaxResults": 8, "baseMinSources": 3}))
vec("dilation-grounding-out-of-range", rpc("dilation.grounding", {"d": 1e300}))
vec("dilation-estimate-plain", rpc("dilation.estimate", {"text": "hello there"}))
vec("dilation-estimate-fresh-analytical", rpc("dilation.estimate", {"text": "Compare the LATEST iPhone price vs last year's?? Not sure which is better."}))
vec("dilation-estimate-year", rpc("dilation.estimate", {"text": "What happened in 2025", "confidence": 0.2, "collapseProximity": 0.1}))
vec("dilation-estimate-missing-text", rpc("dilation.estimate", {}))
