package reports_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reports.JSONSchema))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("result.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("result.schema.json")
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// Every kind of result the code writes validates against the published
// schema. The schema forbids unknown properties, so a field added to the Go
// types without the schema fails here.
func TestEncodedResultsMatchSchema(t *testing.T) {
	s := compileSchema(t)
	merged, err := reports.Merge(shardsOf(t, reportstest.Load(), 2))
	if err != nil {
		t.Fatal(err)
	}
	running := reports.NewLoad("devel", "imaps://user:pw@127.0.0.1:993")
	empty := reports.NewConformance("devel", "")
	empty.Finish(false)
	for name, r := range map[string]*reports.Result{
		"conformance":           reportstest.Conformance(),
		"load":                  reportstest.Load(),
		"synthetic conformance": reportstest.SyntheticConformance(50),
		"synthetic load":        reportstest.SyntheticLoad(2*time.Minute, 10*time.Second),
		"merged load":           merged,
		"running load":          running,
		"empty conformance":     empty,
	} {
		data, err := reports.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, s, data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The schema check can fail: documents that break the model are rejected.
func TestSchemaRejectsBrokenResults(t *testing.T) {
	s := compileSchema(t)
	good, err := reports.Marshal(reportstest.Conformance())
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(map[string]any){
		"unknown property":   func(d map[string]any) { d["extra"] = 1 },
		"unknown kind":       func(d map[string]any) { d["kind"] = "bench" },
		"credentials in URL": func(d map[string]any) { d["target"].(map[string]any)["url"] = "imap://u:p@h:143" },
		"load section too":   func(d map[string]any) { d["load"] = map[string]any{} },
		"unknown outcome": func(d map[string]any) {
			d["conformance"].(map[string]any)["cases"].([]any)[0].(map[string]any)["outcome"] = "OKAY"
		},
		"bad time": func(d map[string]any) { d["started"] = "yesterday" },
	} {
		var doc map[string]any
		if err := json.Unmarshal(good, &doc); err != nil {
			t.Fatal(err)
		}
		mutate(doc)
		data, _ := json.Marshal(doc)
		if err := validate(t, s, data); err == nil {
			t.Errorf("%s: schema accepted a broken document", name)
		}
	}
}

func TestSchemaVersionMatchesCode(t *testing.T) {
	var doc struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(reports.JSONSchema, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.ID, "result-"+reports.SchemaVersion+".schema.json") {
		t.Fatalf("schema $id %q does not name version %s", doc.ID, reports.SchemaVersion)
	}
}
