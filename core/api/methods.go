package api

// method is one JSON-RPC method: it decodes its params and returns a result
// to encode, or an error.
type method func(e *Engine, params []byte) (marshaler, error)

// methods is the method table (docs/DESIGN.md#methods). It is never modified after
// initialisation.
var methods = map[string]method{
	"version":              version,
	"debug.panic":          debugPanic,
	"engine.setEpoch":      engineSetEpoch,
	"graph.validate":       graphValidate,
	"graph.create":         graphCreate,
	"graph.apply":          graphApply,
	"graph.query":          graphQuery,
	"graph.export":         graphExport,
	"graph.drop":           graphDrop,
	"graph.list":           graphList,
	"dilation.compute":     dilationCompute,
	"contract.fromMessage": contractFromMessage,
	"dilation.fromHealth":  dilationFromHealth,
	"dilation.grounding":   dilationGrounding,
	"dilation.estimate":    dilationEstimate,
	"plan.optimize":        planOptimize,
	"plan.reoptimize":      planReoptimize,
	"exec.start":           execStart,
	"exec.report":          execReport,
	"exec.run":             execRun,
	"exec.snapshot":        execSnapshot,
	"exec.restore":         execRestore,
	"exec.close":           execClose,
	"exec.list":            execList,
	"trace.verify":         traceVerify,
	"trace.setKey":         traceSetKey,
	"trace.create":         traceCreate,
	"trace.append":         traceAppend,
	"trace.replay":         traceReplay,
	"trace.causalChain":    traceCausalChain,
	"trace.drop":           traceDrop,
	"trace.list":           traceList,
	"field.create":         fieldCreate,
	"field.update":         fieldUpdate,
	"field.fromHealth":     fieldFromHealth,
	"field.get":            fieldGet,
	"field.snapshot":       fieldSnapshot,
	"field.apply":          fieldApply,
	"field.drop":           fieldDrop,
	"field.list":           fieldList,
	"guard.create":         guardCreate,
	"guard.recordSwap":     guardRecordSwap,
	"guard.isOscillating":  guardIsOscillating,
	"guard.reset":          guardReset,
	"guard.drop":           guardDrop,
	"guard.list":           guardList,
	"registry.create":      registryCreate,
	"registry.register":    registryRegister,
	"registry.candidates":  registryCandidates,
	"registry.check":       registryCheck,
	"registry.select":      registrySelect,
	"registry.observe":     registryObserve,
	"registry.capture":     registryCapture,
	"registry.summary":     registrySummary,
	"registry.drop":        registryDrop,
	"registry.list":        registryList,
	"state.observe":        stateObserve,
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
