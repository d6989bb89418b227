package plan

import (
	"errors"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
)

func TestContractNormalizeDefaults(t *testing.T) {
	c := &Contract{ID: "c"}
	if err := c.Normalize("contract"); err != nil {
		t.Fatal(err)
	}
	l := c.Constraints
	if *l.MaxCost != 0.05 || *l.MaxLatencyMs != 10000 || l.MemoryPolicy != "internal" || l.ExternalIo != "allow" || c.IdentityScope != "operator" {
		t.Errorf("got: %+v scope %q want: the documented defaults", l, c.IdentityScope)
	}
	before := *c
	if err := c.Normalize("contract"); err != nil || *c.Constraints.MaxCost != *before.Constraints.MaxCost {
		t.Errorf("normalizing twice changed the contract: %v", err)
	}
}

func TestContractNormalizeErrors(t *testing.T) {
	neg := -1.0
	tests := []struct {
		name     string
		contract Contract
		path     string
	}{
		{"memoryPolicy", Contract{Constraints: Limits{MemoryPolicy: "secret"}}, "contract.constraints.memoryPolicy"},
		{"externalIo", Contract{Constraints: Limits{ExternalIo: "maybe"}}, "contract.constraints.externalIo"},
		{"identityScope", Contract{IdentityScope: "root"}, "contract.identityScope"},
		{"maxCost", Contract{Constraints: Limits{MaxCost: &neg}}, "contract.constraints.maxCost"},
		{"maxLatencyMs", Contract{Constraints: Limits{MaxLatencyMs: &neg}}, "contract.constraints.maxLatencyMs"},
		{"weights", Contract{Weights: &CostWeights{Risk: &neg}}, "contract.weights.risk"},
		{"intents", Contract{Intents: []string{"a", ""}}, "contract.intents[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.contract.Normalize("contract")
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("got: %v want: an *errs.Error", err)
			}
			if e.Code != errs.CodeInvalidParams || e.Path != tt.path {
				t.Errorf("got: %s at %q want: INVALID_PARAMS at %q", e.Code, e.Path, tt.path)
			}
		})
	}
}

func TestResolveWeights(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name     string
		explicit *CostWeights
		contract *CostWeights
		want     Weights
	}{
		{"defaults", nil, nil, Weights{0.3, 0.4, 0.2, 0.1}},
		{"contract", nil, &CostWeights{Latency: f(1)}, Weights{1, 0.4, 0.2, 0.1}},
		{"explicit beats contract", &CostWeights{Latency: f(2)}, &CostWeights{Latency: f(1), Risk: f(0)}, Weights{2, 0.4, 0, 0.1}},
		{"each field separately", &CostWeights{Compute: f(0)}, &CostWeights{Instability: f(0.5)}, Weights{0.3, 0, 0.2, 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ResolveWeights(tt.explicit, &Contract{Weights: tt.contract}); got != tt.want {
				t.Errorf("got: %+v want: %+v", got, tt.want)
			}
		})
	}
}
