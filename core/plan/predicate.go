package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/convergence-io/ceg/core/errs"
)

// DefaultCompilerSize is the number of compiled predicates a Compiler made
// by NewCompiler(0) keeps.
const DefaultCompilerSize = 256

// Compiler compiles constraint predicates (expr-lang expressions) and keeps
// the most recent ones, so a predicate text is compiled once however many
// times it is planned. It holds at most its size in programs and forgets the
// oldest first. A Compiler is not safe for concurrent use; the api layer
// keeps one per engine instance. The zero value is not usable: call
// NewCompiler.
type Compiler struct {
	max   int
	progs map[string]*vm.Program
	order []string // insertion order, oldest first
}

// NewCompiler returns a Compiler that keeps up to size programs
// (DefaultCompilerSize when size <= 0).
func NewCompiler(size int) *Compiler {
	if size <= 0 {
		size = DefaultCompilerSize
	}
	return &Compiler{max: size, progs: make(map[string]*vm.Program, size)}
}

// Len is the number of cached programs.
func (c *Compiler) Len() int { return len(c.progs) }

// compileOptions: a typed environment (so a misspelt field is a compile
// error), a boolean result, and no wall clock (the builtin now() would make
// plans depend on when they were computed).
// Every loop and scan is charged against a work budget (budget.go).
var compileOptions = append([]expr.Option{expr.Env(env{}), expr.AsBool(), expr.DisableBuiltin("now")}, budgetOptions()...)

// Compile returns the program for a predicate text, compiling it on first
// use. A text that does not compile returns an error describing where.
func (c *Compiler) Compile(text string) (*vm.Program, error) {
	if p, ok := c.progs[text]; ok {
		return p, nil
	}
	if err := checkShape(text); err != nil {
		return nil, err
	}
	p, err := expr.Compile(text, compileOptions...)
	if err != nil {
		return nil, err
	}
	if len(c.order) >= c.max {
		delete(c.progs, c.order[0])
		c.order = c.order[1:]
	}
	c.progs[text] = p
	c.order = append(c.order, text)
	return p, nil
}

// Predicate shape limits. expr's parser, checker and compiler recurse over
// the expression, and a wasm host's call stack holds about 10,000 frames
// (V8): a predicate nested 10,000 parentheses deep trapped the instance.
// Real predicates are a line or two, so these bounds cost nothing.
const (
	MaxPredicateBytes = 4096
	MaxPredicateDepth = 64 // nested ( [ {
)

// checkShape rejects a predicate that is too long or too deeply nested,
// before expr sees it.
func checkShape(text string) error {
	if len(text) > MaxPredicateBytes {
		return fmt.Errorf("predicate is %d bytes long; the limit is %d", len(text), MaxPredicateBytes)
	}
	depth := 0
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '(' || c == '[' || c == '{':
			if depth++; depth > MaxPredicateDepth {
				return fmt.Errorf("predicate nests brackets more than %d deep", MaxPredicateDepth)
			}
		case c == ')' || c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// compileConstraint compiles a constraint node's predicate; a failure is
// INVALID_PREDICATE naming the node.
func (c *Compiler) compileConstraint(id, text string) (*vm.Program, error) {
	p, err := c.Compile(text)
	if err != nil {
		return nil, errs.New(errs.CodeInvalidPred, "plan: predicate of constraint %q does not compile: %s", id, exprMessage(err)).WithIDs(id)
	}
	return p, nil
}

// exprMessage is a one-line form of an expr error: message plus position.
func exprMessage(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if fe.Line > 0 {
			msg = fmt.Sprintf("%s (line %d, column %d)", msg, fe.Line, fe.Column+1)
		}
		return msg
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// env is what a predicate sees. Field names are the JSON names of docs/DESIGN.md#data-model.
type env struct {
	Intent            *intentView        `expr:"intent"`
	Resource          *resourceView      `expr:"resource"`
	Contract          *contractView      `expr:"contract"`
	State             *stateView         `expr:"state"`
	Money             float64            `expr:"money"`
	DilatedLatency    float64            `expr:"dilatedLatency"`
	ResourceHealth    map[string]float64 `expr:"resourceHealth"`
	ResourceLatency   map[string]float64 `expr:"resourceLatency"`
	MemoryLoad        int                `expr:"memoryLoad"`  // active memory nodes of the graph (the original's view)
	MemoryState       *memoryView        `expr:"memoryState"` // S's memory: {activeNodes, entries}
	ActiveConstraints []string           `expr:"activeConstraints"`
	Budget            *predicateBudget   `expr:"ceg budget"` // work left (budget.go); no predicate can name it
}

// intentView is `intent`: the intent node's fields with defaults applied;
// labels are the propagated labels (docs/DESIGN.md#eligibility) and dilation is D(i).
type intentView struct {
	ID           string         `expr:"id"`
	Kind         string         `expr:"kind"`
	Label        string         `expr:"label"`
	Active       bool           `expr:"active"`
	Text         string         `expr:"text"`
	Tokens       float64        `expr:"tokens"`
	Capabilities []string       `expr:"capabilities"`
	Labels       []string       `expr:"labels"`
	Dilation     float64        `expr:"dilation"`
	LatencyMs    float64        `expr:"latencyMs"`
	Embedding    []float64      `expr:"embedding"`
	Meta         map[string]any `expr:"meta"`
}

// resourceView is `resource`: the resource node's fields, with health,
// latencyMs and dilation the effective values of docs/DESIGN.md#cost-model (state overrides the
// node: health(r), lat(r) and D(r)).
type resourceView struct {
	ID              string         `expr:"id"`
	Kind            string         `expr:"kind"`
	Label           string         `expr:"label"`
	Active          bool           `expr:"active"`
	ResourceKind    string         `expr:"resourceKind"`
	Provider        string         `expr:"provider"`
	Capabilities    []string       `expr:"capabilities"`
	CostPerToken    float64        `expr:"costPerToken"`
	CostPerCall     float64        `expr:"costPerCall"`
	LatencyTargetMs float64        `expr:"latencyTargetMs"`
	Health          float64        `expr:"health"`
	LatencyMs       float64        `expr:"latencyMs"`
	Dilation        float64        `expr:"dilation"`
	External        bool           `expr:"external"`
	AcceptsLabels   []string       `expr:"acceptsLabels"` // nil: accepts every label
	MinScope        string         `expr:"minScope"`
	Instability     float64        `expr:"instability"`
	Meta            map[string]any `expr:"meta"`
}

// contractView is `contract`, normalized, with the resolved weights.
type contractView struct {
	ID                 string      `expr:"id"`
	Intent             string      `expr:"intent"`
	Intents            []string    `expr:"intents"`
	Constraints        limitsView  `expr:"constraints"`
	AllowedProviders   []string    `expr:"allowedProviders"`
	ForbiddenProviders []string    `expr:"forbiddenProviders"`
	IdentityScope      string      `expr:"identityScope"`
	Weights            weightsView `expr:"weights"`
}

type limitsView struct {
	MaxCost      float64 `expr:"maxCost"`
	MaxLatencyMs float64 `expr:"maxLatencyMs"`
	Determinism  bool    `expr:"determinism"`
	MemoryPolicy string  `expr:"memoryPolicy"`
	ExternalIo   string  `expr:"externalIo"`
}

type weightsView struct {
	Latency     float64 `expr:"latency"`
	Compute     float64 `expr:"compute"`
	Risk        float64 `expr:"risk"`
	Instability float64 `expr:"instability"`
}

// stateView is `state` (an empty state when the request has none).
type stateView struct {
	Tick      int64         `expr:"tick"`
	Now       float64       `expr:"now"`
	Resources resourcesView `expr:"resources"`
	Memory    memoryView    `expr:"memory"`
	Policy    policyView    `expr:"policy"`
}

type resourcesView struct {
	Health    map[string]float64     `expr:"health"`
	LatencyMs map[string]float64     `expr:"latencyMs"`
	Breakers  map[string]breakerView `expr:"breakers"`
}

type breakerView struct {
	State        string  `expr:"state"`
	Errors       int     `expr:"errors"`
	Level        int     `expr:"level"`
	OpenUntil    float64 `expr:"openUntil"`
	Probing      bool    `expr:"probing"`
	LatencyEmaMs float64 `expr:"latencyEmaMs"`
	Samples      int     `expr:"samples"`
}

type memoryView struct {
	ActiveNodes int `expr:"activeNodes"`
	Entries     int `expr:"entries"`
}

type policyView struct {
	ActiveConstraints []string `expr:"activeConstraints"`
	NapProfile        string   `expr:"napProfile"`
	AuthorityScope    string   `expr:"authorityScope"`
}

// evaluator runs compiled predicates against one reusable environment and
// machine, so the hot loop allocates nothing of its own. It lives for one
// plan computation and holds that computation's predicate work budget.
type evaluator struct {
	env     env
	machine vm.VM
	budget  predicateBudget
	spent   int64 // work units spent by this plan computation's evaluations
}

// eval runs p for (intent, resource) with the candidate's money and dilated
// latency. ok is false when the predicate is false or fails at run time
// (fail closed); msg then says which. overBudget is true when it was
// stopped by (or not run for) a spent work budget.
func (e *evaluator) eval(p *vm.Program, iv *intentView, rv *resourceView, money, dl float64) (ok bool, msg string, overBudget bool) {
	if e.spent >= MaxPlanPredicateWork {
		return false, fmt.Sprintf("was not run: this plan's predicates spent their budget of %d work units", MaxPlanPredicateWork), true
	}
	e.env.Intent, e.env.Resource, e.env.Money, e.env.DilatedLatency = iv, rv, money, dl
	allow := min(int64(MaxPredicateWork), MaxPlanPredicateWork-e.spent)
	e.budget.left = allow
	e.env.Budget = &e.budget
	out, err := e.machine.Run(p, &e.env)
	e.spent += allow - max(e.budget.left, 0)
	if e.budget.left < 0 {
		return false, fmt.Sprintf("was stopped past its work budget of %d units", allow), true
	}
	if err != nil {
		return false, "failed at run time: " + exprMessage(err), false
	}
	b, isBool := out.(bool)
	if !isBool {
		return false, "did not return a boolean", false
	}
	if !b {
		return false, "is false", false
	}
	return true, "", false
}
