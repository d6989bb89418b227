package plan

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
)

// Predicate work budgets. A predicate is caller-written code run once per
// (intent, candidate) pair; its loops are the caller's to shape:
// all(intent.embedding, {all(intent.embedding, {all(intent.embedding, …)})})
// is 87 bytes and 64 million iterations for a 400-element embedding (38 s
// of one plan.optimize in Node). Every evaluation therefore gets a work
// budget, and every plan computation one across its evaluations; past
// either the candidate is rejected with PREDICATE_BUDGET (a rejection
// reason, like CONSTRAINT_VIOLATED: the plan still answers).
//
// Work is counted in units: a builtin or function call costs 1 plus the
// length of each collection or string it is given — so a loop costs one
// unit per element it may visit, charged when it starts, and a nested loop
// pays for every inner pass — and a membership test (in, contains,
// startsWith, endsWith, matches) costs 1 plus the length of its operands.
// Arithmetic, comparisons and field access are free: a predicate is at
// most 4,096 bytes, so they are bounded by the count of charged
// operations. Ranges (1..n) are bounded by expr's own memory budget.
const (
	MaxPredicateWork     = 100_000   // units per evaluation
	MaxPlanPredicateWork = 2_000_000 // units per plan computation (all evaluations)
)

// errBudget is the run-time error of a predicate past its work budget.
var errBudget = errors.New("predicate work budget exceeded")

// predicateBudget is the work an evaluation may still do. It travels in
// the expression environment under a name no predicate can spell (it
// contains a space), so only the charges the compiler inserts reach it.
type predicateBudget struct{ left int64 }

const (
	budgetVar  = "ceg budget"        // the env field holding *predicateBudget
	chargeFunc = "ceg charge"        // charge(value, budget) -> value
	chargeNum  = "ceg charge number" // chargeNumber(n, budget) -> n: repeat's count
)

// charge spends 1 + len(v) units (v a collection or string) and returns v.
func charge(args ...any) (any, error) {
	b, _ := args[1].(*predicateBudget)
	if b == nil {
		return nil, errBudget
	}
	units := int64(1)
	switch v := args[0].(type) {
	case []float64:
		units += int64(len(v))
	case []string:
		units += int64(len(v))
	case []any:
		units += int64(len(v))
	case string:
		units += int64(len(v))
	case map[string]any:
		units += int64(len(v))
	case nil, bool, int, int64, float64:
	default:
		switch rv := reflect.ValueOf(v); rv.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
			units += int64(rv.Len())
		}
	}
	if b.left -= units; b.left < 0 {
		return nil, errBudget
	}
	return args[0], nil
}

// chargeNumber spends max(1, n) units for a count argument (repeat(s, n)
// builds n copies) and returns n.
func chargeNumber(args ...any) (any, error) {
	b, _ := args[1].(*predicateBudget)
	if b == nil {
		return nil, errBudget
	}
	units := int64(1)
	switch n := args[0].(type) {
	case int:
		units = max(units, int64(n))
	case int64:
		units = max(units, n)
	case float64:
		if n > 1 {
			units = int64(min(n, 1<<62))
		}
	}
	if b.left -= units; b.left < 0 {
		return nil, errBudget
	}
	return args[0], nil
}

// sameType types a charge call as its first argument, so wrapping a value
// in a charge changes nothing the type checker sees.
func sameType(args []reflect.Type) (reflect.Type, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("%s takes two arguments", chargeFunc)
	}
	return args[0], nil
}

// budgetOptions registers the charge functions and the patch that inserts
// them.
func budgetOptions() []expr.Option {
	register := func(c *conf.Config) {
		c.Functions[chargeFunc] = &builtin.Function{Name: chargeFunc, Func: charge, Validate: sameType}
		c.Functions[chargeNum] = &builtin.Function{Name: chargeNum, Func: chargeNumber, Validate: sameType}
	}
	return []expr.Option{register, expr.Patch(chargePatcher{})}
}

// chargePatcher wraps what a predicate iterates or scans in charge calls.
type chargePatcher struct{}

// free builtins and functions: constant time whatever their argument.
var free = map[string]bool{"len": true, "first": true, "last": true, "get": true, "type": true,
	"abs": true, "ceil": true, "floor": true, "round": true, "int": true, "float": true,
	"now": true, "duration": true, "date": true, "timezone": true,
	chargeFunc: true, chargeNum: true}

// scans are binary operators linear in their operands.
var scans = map[string]bool{"in": true, "not in": true, "contains": true, "startsWith": true, "endsWith": true, "matches": true, "+": true}

func (chargePatcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BuiltinNode:
		if free[n.Name] {
			return
		}
		for i, a := range n.Arguments {
			if _, isClosure := a.(*ast.PredicateNode); !isClosure {
				n.Arguments[i] = wrap(chargeFunc, a)
			}
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || free[id.Value] {
			return
		}
		for i, a := range n.Arguments {
			switch {
			case id.Value == "repeat" && i == 1:
				n.Arguments[i] = wrap(chargeNum, a)
			default:
				n.Arguments[i] = wrap(chargeFunc, a)
			}
		}
	case *ast.BinaryNode:
		if !scans[n.Operator] {
			return
		}
		if n.Operator == "+" && !isString(n.Left) && !isString(n.Right) {
			return // arithmetic is free; only string concatenation scans
		}
		n.Left, n.Right = wrap(chargeFunc, n.Left), wrap(chargeFunc, n.Right)
	}
}

func isString(n ast.Node) bool {
	t := n.Type()
	return t != nil && t.Kind() == reflect.String
}

// wrap returns the call chargeFunc(a, <budget>), typed as a.
func wrap(fn string, a ast.Node) ast.Node {
	c := &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: []ast.Node{a, &ast.IdentifierNode{Value: budgetVar}}}
	c.SetLocation(a.Location())
	return c
}
