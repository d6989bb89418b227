package wire

import "strconv"

// PathAt returns the JSON path (such as "graph.nodes[2].kind") of the value
// that is being read at byte offset off of data. A decoder error carries the
// offset where it stopped; PathAt names the field it was in: after `"k":` the
// path includes k until the value's closing `,` or `}`, and inside an array
// the index advances at each `,`. Malformed data yields the path reached so
// far. It never panics.
func PathAt(data []byte, off int) string {
	type frame struct {
		array bool
		key   string
		index int
		inVal bool // object: a key has been read and its value is current
	}
	var stack []frame
	if off > len(data) {
		off = len(data)
	}
	i := 0
	for i < off {
		c := data[i]
		switch c {
		case '{':
			stack = append(stack, frame{})
			i++
		case '[':
			stack = append(stack, frame{array: true})
			i++
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			i++
		case ',':
			if n := len(stack); n > 0 {
				if stack[n-1].array {
					stack[n-1].index++
				} else {
					stack[n-1].inVal = false
				}
			}
			i++
		case '"':
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			s := data[min(i+1, len(data)):min(j, len(data))]
			i = j + 1
			if n := len(stack); n > 0 && !stack[n-1].array && !stack[n-1].inVal {
				// A key: it becomes current when its colon is read.
				k := i
				for k < len(data) && (data[k] == ' ' || data[k] == '\t' || data[k] == '\n' || data[k] == '\r') {
					k++
				}
				if k < len(data) && data[k] == ':' {
					stack[n-1].key = unquote(s)
					stack[n-1].inVal = true
					i = k + 1
				}
			}
		default:
			i++
		}
	}
	path := ""
	for _, f := range stack {
		switch {
		case f.array:
			path += "[" + strconv.Itoa(f.index) + "]"
		case f.inVal:
			if path == "" {
				path = f.key
			} else {
				path += "." + f.key
			}
		}
	}
	return path
}

// unquote decodes the common escapes of a JSON string body; anything odd is
// kept as written (it only names a path).
func unquote(b []byte) string {
	if s, err := strconv.Unquote(`"` + string(b) + `"`); err == nil {
		return s
	}
	return string(b)
}
