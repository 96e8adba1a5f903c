package profiles

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/imapgauge/imapgauge/load"
)

//go:embed presets/*.yaml
var presetFS embed.FS

// Presets returns the names of the shipped profiles, sorted.
func Presets() []string {
	entries, _ := fs.ReadDir(presetFS, "presets")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Load returns the workload named by nameOrFile: a preset name (office-day),
// or a path to a YAML file.
func Load(nameOrFile string) (*load.Workload, error) {
	if data, err := presetFS.ReadFile("presets/" + nameOrFile + ".yaml"); err == nil {
		w, err := Parse("preset "+nameOrFile, data)
		if w != nil {
			w.Source = "preset"
		}
		return w, err
	}
	data, err := os.ReadFile(nameOrFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(nameOrFile, "/.") {
			return nil, fmt.Errorf("no preset or file named %q (presets: %s)", nameOrFile, strings.Join(Presets(), ", "))
		}
		return nil, err
	}
	w, err := Parse(nameOrFile, data)
	if w != nil {
		w.Source = nameOrFile
	}
	return w, err
}

// document is the YAML form of a profile. Durations are Go durations ("15m"),
// sizes take a unit ("8KiB").
type document struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Users       int      `yaml:"users"`
	Duration    duration `yaml:"duration"`
	RampUp      duration `yaml:"ramp_up"`
	TimeScale   float64  `yaml:"time_scale"`
	Mailbox     struct {
		InitialMessages int    `yaml:"initial_messages"`
		Archive         string `yaml:"archive"`
		Trash           string `yaml:"trash"`
		Sent            string `yaml:"sent"`
	} `yaml:"mailbox"`
	Delivery struct {
		PerUserPerHour float64 `yaml:"per_user_per_hour"`
		Size           struct {
			Median          size    `yaml:"median"`
			Sigma           float64 `yaml:"sigma"`
			Min             size    `yaml:"min"`
			Max             size    `yaml:"max"`
			AttachmentShare float64 `yaml:"attachment_share"`
		} `yaml:"size"`
	} `yaml:"delivery"`
	Actions struct {
		PerUserPerHour float64            `yaml:"per_user_per_hour"`
		Mix            map[string]float64 `yaml:"mix"`
		ThinkTime      struct {
			Min duration `yaml:"min"`
			Max duration `yaml:"max"`
		} `yaml:"think_time"`
	} `yaml:"actions"`
	Devices []struct {
		Kind           string   `yaml:"kind"`
		Share          *float64 `yaml:"share"`
		Count          int      `yaml:"count"`
		ActionWeight   *float64 `yaml:"action_weight"`
		Jitter         float64  `yaml:"jitter"`
		PollEvery      duration `yaml:"poll_every"`
		SweepEvery     duration `yaml:"sweep_every"`
		IdleRenew      duration `yaml:"idle_renew"`
		SleepEvery     duration `yaml:"sleep_every"`
		SleepFor       duration `yaml:"sleep_for"`
		Mode           string   `yaml:"mode"`
		SessionEvery   duration `yaml:"session_every"`
		ReconnectEvery duration `yaml:"reconnect_every"`
		PageSize       int      `yaml:"page_size"`
	} `yaml:"devices"`
	Checks struct {
		NotifyWithin    duration `yaml:"notify_within"`
		ExpungeGrace    duration `yaml:"expunge_grace"`
		CheckpointEvery duration `yaml:"checkpoint_every"`
	} `yaml:"checks"`
}

type duration time.Duration

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a duration (write 90s, 15m, 1h30m)", n.Line, n.Value)
	}
	*d = duration(v)
	return nil
}

type size int64

var sizeRE = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$`)

func (s *size) UnmarshalYAML(n *yaml.Node) error {
	m := sizeRE.FindStringSubmatch(strings.TrimSpace(n.Value))
	if m == nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a size (write 8KiB, 2MiB, 600B)", n.Line, n.Value)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"": 1, "B": 1, "KB": 1e3, "KiB": 1 << 10, "MB": 1e6, "MiB": 1 << 20, "GB": 1e9, "GiB": 1 << 30}[m[2]]
	v *= mult
	if v > math.MaxInt32*4 {
		return fmt.Errorf("line %d: size %q is too large", n.Line, n.Value)
	}
	*s = size(v)
	return nil
}

// Parse reads a profile from YAML. Unknown keys are rejected; every error
// names the source and, where the YAML has one, the line.
func Parse(source string, data []byte) (*load.Workload, error) {
	var doc document
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %s", source, strings.TrimPrefix(strings.ReplaceAll(err.Error(), "\n ", ""), "yaml: "))
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)

	w := &load.Workload{
		Name: doc.Name, Description: strings.TrimSpace(doc.Description), Definition: string(data),
		Users: doc.Users, Duration: time.Duration(doc.Duration), RampUp: time.Duration(doc.RampUp), TimeScale: doc.TimeScale,
	}
	if w.TimeScale == 0 {
		w.TimeScale = 1
	}
	w.Mailbox = load.MailboxSpec{InitialMessages: doc.Mailbox.InitialMessages,
		Archive: or(doc.Mailbox.Archive, "Archive"), Trash: or(doc.Mailbox.Trash, "Trash"), Sent: or(doc.Mailbox.Sent, "Sent")}
	ds := doc.Delivery.Size
	w.Delivery = load.DeliverySpec{PerUserPerHour: doc.Delivery.PerUserPerHour,
		SizeMedian: int64(orSize(ds.Median, 8<<10)), SizeSigma: ds.Sigma, SizeMin: int64(orSize(ds.Min, 600)),
		SizeMax: int64(orSize(ds.Max, 10<<20)), AttachmentShare: ds.AttachmentShare}
	w.Actions = load.ActionSpec{PerUserPerHour: doc.Actions.PerUserPerHour, Mix: map[load.ActionKind]float64{},
		ThinkMin: time.Duration(doc.Actions.ThinkTime.Min), ThinkMax: time.Duration(doc.Actions.ThinkTime.Max)}
	for k, v := range doc.Actions.Mix {
		w.Actions.Mix[load.ActionKind(k)] = v
	}
	for _, d := range doc.Devices {
		spec := load.DeviceSpec{Kind: load.DeviceKind(d.Kind), Share: 1, Count: max(d.Count, 1), ActionWeight: 1, Jitter: d.Jitter,
			PollEvery: time.Duration(d.PollEvery), SweepEvery: time.Duration(d.SweepEvery), IdleRenew: time.Duration(d.IdleRenew),
			SleepEvery: time.Duration(d.SleepEvery), SleepFor: time.Duration(d.SleepFor), Mode: d.Mode,
			SessionEvery: time.Duration(d.SessionEvery), ReconnectEvery: time.Duration(d.ReconnectEvery), PageSize: d.PageSize}
		if d.Count < 0 {
			spec.Count = d.Count
		}
		if d.Share != nil {
			spec.Share = *d.Share
		}
		if d.ActionWeight != nil {
			spec.ActionWeight = *d.ActionWeight
		}
		if spec.Kind == load.Phone && spec.Mode == "" {
			spec.Mode = load.PhoneFetch
		}
		if spec.Kind == load.Webmail && spec.PageSize == 0 {
			spec.PageSize = 50
		}
		if (spec.Kind == load.Desktop || spec.Mode == load.PhonePush) && spec.IdleRenew == 0 {
			spec.IdleRenew = 25 * time.Minute
		}
		w.Devices = append(w.Devices, spec)
	}
	w.Checks = load.CheckSpec{NotifyWithin: time.Duration(doc.Checks.NotifyWithin), ExpungeGrace: time.Duration(doc.Checks.ExpungeGrace),
		CheckpointEvery: time.Duration(doc.Checks.CheckpointEvery)}
	if w.Checks.NotifyWithin == 0 {
		w.Checks.NotifyWithin = 5 * time.Second
	}
	if w.Checks.ExpungeGrace == 0 {
		w.Checks.ExpungeGrace = time.Second
	}
	if errs := w.Validate(); len(errs) > 0 {
		var lines []string
		for _, e := range errs {
			var fe *load.FieldError
			if errors.As(e, &fe) {
				if line := lineOf(&root, fe.Path); line > 0 {
					lines = append(lines, fmt.Sprintf("%s:%d: %s", source, line, fe.Error()))
					continue
				}
			}
			lines = append(lines, fmt.Sprintf("%s: %s", source, e))
		}
		sort.Strings(lines)
		return nil, errors.New(strings.Join(lines, "\n"))
	}
	return w, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orSize(s size, def size) size {
	if s == 0 {
		return def
	}
	return s
}

// lineOf finds the line of a field path ("devices[1].poll_every") in a parsed
// YAML document: the key's line when present, else the nearest present
// parent's.
func lineOf(root *yaml.Node, p string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, part := range strings.Split(p, ".") {
		name, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			name = part[:i]
			idx, _ = strconv.Atoi(part[i+1 : len(part)-1])
		}
		next := (*yaml.Node)(nil)
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == name {
					line = n.Content[i].Line
					next = n.Content[i+1]
				}
			}
		}
		if next == nil {
			return line
		}
		n = next
		if idx >= 0 {
			if n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
			line = n.Line
		}
	}
	return line
}

// PresetPath is the embedded path of a preset, for documentation.
func PresetPath(name string) string { return path.Join("scenarios/profiles/presets", name+".yaml") }
