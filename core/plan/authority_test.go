package plan

import (
	"fmt"
	"strings"
	"testing"
)

func TestAuthority(t *testing.T) {
	const base = `{"id":"i","kind":"intent","labels":["pii"]},{"id":"j","kind":"intent"},
		{"id":"a","kind":"resource","provider":"pa","resourceKind":"llm","capabilities":["chat"]},
		{"id":"b","kind":"resource","provider":"pb","resourceKind":"tool","capabilities":["code"]},
		{"id":"c","kind":"resource","provider":"pc","resourceKind":"llm","minScope":"user"}`
	tests := []struct {
		name     string
		extra    string // more nodes
		edges    string
		contract string
		state    string
		wantI    string // rejected resources of i, sorted, joined
		wantJ    string
	}{
		{"no authority", "", "", `{}`, "", "", ""},
		{"deny by provider", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","provider":"pa"}]}`, "", `{}`, "", "a", "a"},
		{"deny by resourceKind", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","resourceKind":"tool"}]}`, "", `{}`, "", "b", "b"},
		{"deny by capability", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","capability":"chat"}]}`, "", `{}`, "", "a", "a"},
		{"deny by label", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","label":"pii","resourceKind":"llm"}]}`, "", `{}`, "", "a,c", ""},
		{"deny needs every field", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","provider":"pa","resourceKind":"tool"}]}`, "", `{}`, "", "", ""},
		{"deny by action execute", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","provider":"pb","action":"execute"}]}`, "", `{}`, "", "b", "b"},
		{"other actions do not match", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","provider":"pb","action":"read"}]}`, "", `{}`, "", "", ""},
		{"allow list", `{"id":"n","kind":"authority","policySet":[{"effect":"allow","provider":"pa"}]}`, "", `{}`, "", "b,c", "b,c"},
		{"deny beats allow", `{"id":"n","kind":"authority","policySet":[{"effect":"allow","resourceKind":"llm"},{"effect":"deny","provider":"pa"}]}`, "", `{}`, "", "a,b", "a,b"},
		{"deny of another authority beats allow",
			`{"id":"m","kind":"authority","policySet":[{"effect":"allow","provider":"pa"}]},{"id":"n","kind":"authority","policySet":[{"effect":"deny","provider":"pa"}]}`,
			"", `{}`, "", "a,b,c", "a,b,c"},
		{"enables scopes the authority", `{"id":"n","kind":"authority","policySet":[{"effect":"deny","provider":"pa"}]}`,
			`{"from":"n","to":"j","kind":"enables"}`, `{}`, "", "", "a"},
		{"minScope above the contract scope", "", "", `{"identityScope":"agent"}`, "", "c", "c"},
		{"minScope at the contract scope", "", "", `{"identityScope":"user"}`, "", "", ""},
		{"state authorityScope caps the contract", "", "", `{"identityScope":"operator"}`, `{"policy":{"activeConstraints":[],"authorityScope":"public"}}`, "c", "c"},
		{"authority identityScope caps the scope", `{"id":"n","kind":"authority","identityScope":"agent","policySet":[]}`,
			`{"from":"n","to":"i","kind":"enables"}`, `{}`, "", "c", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes := base
			if tt.extra != "" {
				nodes += "," + tt.extra
			}
			g := `{"nodes":[` + nodes + `],"edges":[` + tt.edges + `]}`
			p, err := Optimize(input(t, g, tt.contract, tt.state), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for intent, want := range map[string]string{"i": tt.wantI, "j": tt.wantJ} {
				rej := rejections(p, intent)
				var got []string
				for _, r := range []string{"a", "b", "c"} {
					if reason, ok := rej[r]; ok {
						if reason != ReasonAuthorityDenied {
							t.Errorf("%s/%s got reason %s want: AUTHORITY_DENIED", intent, r, reason)
						}
						got = append(got, r)
					}
				}
				if strings.Join(got, ",") != want {
					t.Errorf("intent %s rejected got: %v want: %q", intent, got, want)
				}
			}
		})
	}
}

func TestAuthorityDetail(t *testing.T) {
	g := `{"nodes":[{"id":"i","kind":"intent"},{"id":"a","kind":"resource","provider":"pa"},{"id":"b","kind":"resource","provider":"pb","minScope":"operator"},
		{"id":"n","kind":"authority","policySet":[{"effect":"allow","provider":"pb"},{"effect":"deny","provider":"pa"}]}],"edges":[]}`
	p := mustOptimize(t, input(t, g, `{"identityScope":"user"}`, ""))
	got := fmt.Sprint(p.Infeasibility.Candidates[0].Rejected)
	for _, want := range []string{`deny rule policySet[1] of authority "n" matches`, "minScope operator is above the governing scope user"} {
		if !strings.Contains(got, want) {
			t.Errorf("got: %s want a detail containing %q", got, want)
		}
	}
}
