package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/load"
)

func TestPresetsAreValid(t *testing.T) {
	want := []string{"delivery-flood", "idle-soak", "monday-9am", "office-day", "reconnect-storm"}
	if got := Presets(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("presets %v, want %v", got, want)
	}
	for _, name := range want {
		w, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if w.Name != name || w.Source != "preset" || w.Definition == "" || w.Description == "" {
			t.Errorf("%s: name %q, source %q, definition %d bytes", name, w.Name, w.Source, len(w.Definition))
		}
		if errs := w.Validate(); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
}

func TestOfficeDayShape(t *testing.T) {
	w, err := Load("office-day")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[load.DeviceKind]bool{}
	for _, d := range w.Devices {
		kinds[d.Kind] = true
	}
	for _, k := range load.DeviceKinds {
		if !kinds[k] {
			t.Errorf("office-day has no %s", k)
		}
	}
	if w.TimeScale != 60 || w.Delivery.SizeMedian != 8<<10 {
		t.Errorf("time scale %g, median size %d", w.TimeScale, w.Delivery.SizeMedian)
	}
	for _, k := range load.ActionKinds {
		if w.Actions.Mix[k] <= 0 {
			t.Errorf("office-day never does %s", k)
		}
	}
}

const minimal = `name: mini
users: 2
duration: 10s
devices:
  - kind: desktop
    sweep_every: 10m
    poll_every: 2m
`

func TestMinimalProfileGetsDefaults(t *testing.T) {
	w, err := Parse("mini.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	d := w.Devices[0]
	if d.Share != 1 || d.Count != 1 || d.ActionWeight != 1 || d.IdleRenew != 25*time.Minute {
		t.Errorf("device defaults: %+v", d)
	}
	if w.Mailbox.Archive != "Archive" || w.TimeScale != 1 || w.Checks.NotifyWithin != 5*time.Second {
		t.Errorf("defaults: archive %q, time scale %g, notify %s", w.Mailbox.Archive, w.TimeScale, w.Checks.NotifyWithin)
	}
}

// Errors name the file and the line, and unknown keys are refused.
func TestProfileErrorsNameTheLine(t *testing.T) {
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"unknown key", minimal + "frobnicate: 1\n", "line 8: field frobnicate not found"},
		{"unknown device key", strings.Replace(minimal, "    poll_every: 2m\n", "    poll_every: 2m\n    idle: yes\n", 1), "line 8: field idle not found"},
		{"bad duration", strings.Replace(minimal, "10s", "ten seconds", 1), `line 3: "ten seconds" is not a duration`},
		{"bad size", minimal + "delivery:\n  size:\n    median: big\n", `line 10: "big" is not a size`},
		{"missing interval", strings.Replace(minimal, "    poll_every: 2m\n", "", 1), "p.yaml:5: devices[0].poll_every: must be a positive duration"},
		{"unknown kind", strings.Replace(minimal, "kind: desktop", "kind: toaster", 1), `p.yaml:5: devices[0].kind: unknown device kind "toaster"`},
		{"bad share", strings.Replace(minimal, "kind: desktop\n", "kind: desktop\n    share: 1.5\n", 1), "p.yaml:6: devices[0].share: must be in (0, 1]"},
		{"unknown action", minimal + "actions:\n  per_user_per_hour: 10\n  mix: {dance: 1}\n", "actions.mix.dance: unknown action"},
		{"no users", strings.Replace(minimal, "users: 2", "users: 0", 1), "p.yaml:2: users: must be 1 to 1000000"},
		{"phone mode", minimal + "  - kind: phone\n    mode: carrier-pigeon\n", `p.yaml:9: devices[1].mode: must be fetch or push`},
	} {
		_, err := Parse("p.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestLoadFileAndUnknownName(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(p, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Load(p)
	if err != nil || w.Source != p {
		t.Fatalf("Load(%s) = %v, %v", p, w, err)
	}
	if _, err := Load("no-such-preset"); err == nil || !strings.Contains(err.Error(), "office-day") {
		t.Errorf("unknown preset: %v; want the list of presets", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	for _, name := range Presets() {
		data, _ := presetFS.ReadFile("presets/" + name + ".yaml")
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Parse("fuzz.yaml", data)
		if err == nil && len(w.Validate()) > 0 {
			t.Fatal("Parse accepted a workload that does not validate")
		}
	})
}
