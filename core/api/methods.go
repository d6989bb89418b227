package api

// method is one JSON-RPC method: it decodes its params and returns a result
// to encode, or an error.
type method func(e *Engine, params []byte) (marshaler, error)

// methods is the method table (docs/DESIGN.md#methods). It is never modified after
// initialisation.
var methods = map[string]method{
	"version":             version,
	"debug.panic":         debugPanic,
	"engine.setEpoch":     engineSetEpoch,
	"graph.validate":      graphValidate,
	"graph.create":        graphCreate,
	"graph.apply":         graphApply,
	"graph.query":         graphQuery,
	"graph.export":        graphExport,
	"graph.drop":          graphDrop,
	"graph.list":          graphList,
	"dilation.compute":    dilationCompute,
	"dilation.fromHealth": dilationFromHealth,
	"dilation.grounding":  dilationGrounding,
	"dilation.estimate":   dilationEstimate,
	"plan.optimize":       planOptimize,
	"plan.reoptimize":     planReoptimize,
	"exec.start":          execStart,
	"exec.report":         execReport,
	"exec.run":            execRun,
	"exec.snapshot":       execSnapshot,
	"exec.restore":        execRestore,
	"exec.close":          execClose,
	"exec.list":           execList,
	"trace.verify":        traceVerify,
	"trace.setKey":        traceSetKey,
	"state.observe":       stateObserve,
}

// methodNames maps each method name to itself, so a request's method is
// looked up without allocating its name.
var methodNames = func() map[string]string {
	m := make(map[string]string, len(methods))
	for name := range methods {
		m[name] = name
	}
	return m
}()
