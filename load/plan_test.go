package load

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func collect(s *Schedule) []Tick {
	var out []Tick
	for {
		t, ok := s.Next()
		if !ok {
			return out
		}
		out = append(out, t)
	}
}

func TestScheduleSameSeedSameTicks(t *testing.T) {
	w := testWorkload()
	a := collect(NewSchedule(w, 5, 42, Shard{}, 20*time.Second, 2*time.Second))
	b := collect(NewSchedule(w, 5, 42, Shard{}, 20*time.Second, 2*time.Second))
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed gave different schedules (%d and %d ticks)", len(a), len(b))
	}
	c := collect(NewSchedule(w, 5, 43, Shard{}, 20*time.Second, 2*time.Second))
	if reflect.DeepEqual(a, c) {
		t.Fatal("a different seed gave the same schedule")
	}
	for i := 1; i < len(a); i++ {
		if a[i].At < a[i-1].At {
			t.Fatalf("tick %d at %s comes before tick %d at %s", i, a[i].At, i-1, a[i-1].At)
		}
	}
}

// Shards split the users and together give exactly the single run's ticks.
func TestShardsPartitionTheSchedule(t *testing.T) {
	w := testWorkload()
	whole := collect(NewSchedule(w, 7, 9, Shard{}, 10*time.Second, time.Second))
	var parts []Tick
	for i := 1; i <= 3; i++ {
		for _, tk := range collect(NewSchedule(w, 7, 9, Shard{Index: i, Count: 3}, 10*time.Second, time.Second)) {
			if !(Shard{Index: i, Count: 3}).Owns(tk.User) {
				t.Fatalf("shard %d/3 got a tick of user %d", i, tk.User)
			}
			parts = append(parts, tk)
		}
	}
	if len(parts) != len(whole) {
		t.Fatalf("shards have %d ticks, the single run %d", len(parts), len(whole))
	}
	count := func(ts []Tick) map[Tick]int {
		m := map[Tick]int{}
		for _, tk := range ts {
			m[tk]++
		}
		return m
	}
	if !reflect.DeepEqual(count(parts), count(whole)) {
		t.Fatal("the shards' ticks differ from the single run's")
	}
}

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"1/1": {1, 1}, "2/4": {2, 4}} {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0/4", "5/4", "1/0", "a/b", "1/2/3", "2", " 1/2", "01/2"} {
		if _, err := ParseShard(in); err == nil {
			t.Errorf("ParseShard(%q) accepted", in)
		}
	}
}

func TestPace(t *testing.T) {
	end := 10 * time.Second
	for _, c := range []struct {
		elapsed, next, wait time.Duration
		stop                bool
	}{
		{0, time.Second, time.Second, false},
		{2 * time.Second, time.Second, 0, false}, // late: dispatch now
		{time.Second, time.Second, 0, false},
		{time.Second, end, 0, true},
		{time.Second, end + 1, 0, true},
	} {
		wait, stop := Pace(c.elapsed, c.next, end)
		if wait != c.wait || stop != c.stop {
			t.Errorf("Pace(%s, %s, %s) = %s, %v; want %s, %v", c.elapsed, c.next, end, wait, stop, c.wait, c.stop)
		}
	}
}

func TestRampStart(t *testing.T) {
	if got := RampStart(0, 10, time.Minute); got != 0 {
		t.Errorf("first user starts at %s", got)
	}
	if got := RampStart(5, 10, time.Minute); got != 30*time.Second {
		t.Errorf("user 5 of 10 over 1m starts at %s, want 30s", got)
	}
	if got := RampStart(9, 10, 0); got != 0 {
		t.Errorf("no ramp-up: user starts at %s", got)
	}
}

// The gaps of a Poisson process are exponential: mean 1/rate, and the
// share of gaps above the mean is 1/e.
func TestPoissonGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, rate = 20000, 4.0
	var sum time.Duration
	above := 0
	for range n {
		g := PoissonGap(rng, rate)
		sum += g
		if g > 250*time.Millisecond {
			above++
		}
	}
	mean := sum.Seconds() / n
	if math.Abs(mean-1/rate) > 0.01 {
		t.Errorf("mean gap %.4fs, want %.4fs", mean, 1/rate)
	}
	if share := float64(above) / n; math.Abs(share-1/math.E) > 0.02 {
		t.Errorf("share of gaps above the mean %.3f, want %.3f", share, 1/math.E)
	}
	if PoissonGap(rng, 0) != math.MaxInt64 {
		t.Error("a zero rate fires")
	}
}

// Sizes follow the log-normal: the median is the configured one, and a tail
// of large messages exists.
func TestMessageSizeDistribution(t *testing.T) {
	d := DeliverySpec{SizeMedian: 8 << 10, SizeSigma: 1.2, SizeMin: 600, SizeMax: 4 << 20}
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 10001
	below, big := 0, 0
	for range n {
		s := MessageSize(rng, &d)
		if s < d.SizeMin || s > d.SizeMax {
			t.Fatalf("size %d outside [%d, %d]", s, d.SizeMin, d.SizeMax)
		}
		if s < d.SizeMedian {
			below++
		}
		if s > 100<<10 {
			big++
		}
	}
	if share := float64(below) / n; math.Abs(share-0.5) > 0.03 {
		t.Errorf("%.3f of sizes below the median, want 0.5", share)
	}
	if big == 0 {
		t.Error("no message above 100 KiB: no tail of attachments")
	}
}

func TestBuildMessageIsMIMEWithItsID(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range []int64{700, 20 << 10, 300 << 10} {
		g := buildMessage(rng, "x.1@imapgauge.invalid", "u1", "Hello", "", size, 1, time.Unix(1700000000, 0))
		if !reflect.DeepEqual(g.hash, contentHash(g.raw)) {
			t.Fatal("hash does not match the content")
		}
		raw := string(g.raw)
		for _, want := range []string{"Message-ID: <x.1@imapgauge.invalid>\r\n", "MIME-Version: 1.0\r\n", "\r\n\r\n"} {
			if !contains(raw, want) {
				t.Errorf("size %d: message lacks %q", size, want)
			}
		}
		if l := int64(len(g.raw)); l < size*8/10 || l > size*12/10+600 {
			t.Errorf("asked for %d bytes, got %d", size, l)
		}
		for i := 0; i < len(raw); i++ {
			if raw[i] == '\n' && (i == 0 || raw[i-1] != '\r') {
				t.Fatalf("size %d: bare LF at %d", size, i)
			}
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
