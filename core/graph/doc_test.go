package graph

import "github.com/mailru/easyjson/jwriter"

func marshalDoc(d *Doc) ([]byte, error) {
	var w jwriter.Writer
	d.MarshalEasyJSON(&w)
	return w.BuildBytes()
}
