package graph_test

import (
	"fmt"

	"github.com/convergence-io/ceg/core/graph"
)

// SwapNode (σ) moves a resource's edges onto its declared replacement.
func ExampleGraph_SwapNode() {
	g := graph.New()
	for _, n := range []*graph.Node{
		{ID: "ask", Kind: graph.KindIntent},
		{ID: "gpt", Kind: graph.KindResource, Provider: "openai"},
		{ID: "claude", Kind: graph.KindResource, Provider: "anthropic"},
	} {
		if err := g.AddNode(n); err != nil {
			panic(err)
		}
	}
	g.AddEdge(&graph.Edge{From: "ask", To: "gpt", Kind: graph.EdgeExecutesOn})
	g.AddEdge(&graph.Edge{From: "gpt", To: "claude", Kind: graph.EdgeSwapsTo})

	old, err := g.SwapNode("gpt", &graph.Node{ID: "claude", Kind: graph.KindResource, Provider: "anthropic"})
	fmt.Println(old.ID, err)
	for _, e := range g.Edges() {
		fmt.Println(e.From, e.Kind, e.To)
	}
	_, err = g.SwapNode("gpt", &graph.Node{ID: "x", Kind: graph.KindResource})
	fmt.Println(err)
	// Output:
	// gpt <nil>
	// ask executes_on claude
	// UNKNOWN_NODE: graph: unknown node "gpt"
}
