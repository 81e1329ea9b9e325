// Command jsonpath evaluates the attribute paths of vectors.json with client-go's util/jsonpath,
// as the original Kollect extracts a JSONPath attribute: "$.x" is rewritten to "{.x}", missing
// keys are errors ("... is not found") that mean null, other evaluation errors are extraction
// failures, no result is null, one result is that value and several are a list. Objects are
// decoded as the Kubernetes JSON decoder decodes them (int64 or float64). It prints, per path,
// the value as Go's encoding/json writes it, or "error". The output is expected.json, the
// expected values of the C# JSONPath tests.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"k8s.io/client-go/util/jsonpath"
)

type vector struct {
	Name   string          `json:"name"`
	Object json.RawMessage `json:"object"`
	Paths  []string        `json:"paths"`
}

type result struct {
	Path  string `json:"path"`
	Value string `json:"value,omitempty"`
	Error bool   `json:"error,omitempty"`
}

type expectation struct {
	Name    string   `json:"name"`
	Results []result `json:"results"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run main.go vectors.json > expected.json")
		os.Exit(2)
	}
	input, err := os.ReadFile(os.Args[1])
	check(err)
	var vectors []vector
	check(json.Unmarshal(input, &vectors))

	out := make([]expectation, 0, len(vectors))
	for _, v := range vectors {
		obj := decode(v.Object)
		e := expectation{Name: v.Name}
		for _, path := range v.Paths {
			value, failed := evaluate(obj, path)
			r := result{Path: path, Error: failed}
			if !failed {
				text, err := json.Marshal(value)
				check(err)
				r.Value = string(text)
			}
			e.Results = append(e.Results, r)
		}
		out = append(out, e)
	}
	text, err := json.MarshalIndent(out, "", "  ")
	check(err)
	fmt.Println(string(text))
}

func evaluate(obj map[string]any, path string) (any, bool) {
	if strings.HasPrefix(path, "$.") {
		path = "{" + path[1:] + "}"
	}
	jp := jsonpath.New("extract")
	check(jp.Parse(path))
	results, err := jp.FindResults(obj)
	if err != nil {
		if strings.Contains(err.Error(), "is not found") {
			return nil, false
		}
		return nil, true
	}
	if len(results) == 0 || len(results[0]) == 0 {
		return nil, false
	}
	if len(results[0]) == 1 {
		return results[0][0].Interface(), false
	}
	values := make([]any, len(results[0]))
	for i, r := range results[0] {
		values[i] = r.Interface()
	}
	return values, false
}

// decode decodes like k8s.io/apimachinery's JSON decoder: json.Number becomes int64 or float64.
func decode(raw json.RawMessage) map[string]any {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var value map[string]any
	check(decoder.Decode(&value))
	return convert(value).(map[string]any)
}

func convert(value any) any {
	switch typed := value.(type) {
	case map[string]any:
		for k, v := range typed {
			typed[k] = convert(v)
		}
		return typed
	case []any:
		for i, v := range typed {
			typed[i] = convert(v)
		}
		return typed
	case json.Number:
		if i, err := typed.Int64(); err == nil {
			return i
		}
		f, err := typed.Float64()
		check(err)
		return f
	default:
		return value
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
