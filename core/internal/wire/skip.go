package wire

import "github.com/mailru/easyjson/jlexer"

// Skip returns the index just past the JSON value that starts at or after i
// (leading whitespace is skipped). data must already be known valid (Valid):
// Skip does not check syntax, it only finds the value's end, so splitting a
// validated request costs one fast pass instead of a second validation.
func Skip(data []byte, i int) int {
	i = skipSpace(data, i)
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		if end := scanString(data, i); end >= 0 {
			return end
		}
		return len(data)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = scanString(data, i) - 1
				if i < 0 {
					return len(data)
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(data)
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// Members calls fn with the decoded key and the raw value of each member of
// the JSON object data (already known valid), in order, until fn returns
// false. It reports false when data is not an object.
func Members(data []byte, fn func(key string, value []byte) bool) bool {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] == '"' {
		end := scanString(data, i)
		if end < 0 {
			return false
		}
		k := decodeKey(data[i:end])
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the colon
		vEnd := Skip(data, i)
		if !fn(k, data[i:vEnd]) {
			return true
		}
		i = skipSpace(data, vEnd)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return true
}

// Elements calls fn with each raw element of the JSON array data (already
// known valid), in order. It reports false when data is not an array.
func Elements(data []byte, fn func(value []byte)) bool {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return false
	}
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] != ']' {
		end := Skip(data, i)
		fn(data[i:end])
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return true
}

// decodeKey decodes a quoted key; the common case (no escapes) allocates
// only the string.
func decodeKey(q []byte) string {
	for _, c := range q[1 : len(q)-1] {
		if c == '\\' {
			l := jlexer.Lexer{Data: q}
			return l.String()
		}
	}
	return string(q[1 : len(q)-1])
}

// Depth returns the deepest nesting of objects and arrays in data (0 for
// a scalar), counting brackets outside strings. data should be valid JSON;
// on anything else the count is still bounded by len(data).
func Depth(data []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			end := scanString(data, i)
			if end < 0 {
				return deepest
			}
			i = end - 1
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	return deepest
}
