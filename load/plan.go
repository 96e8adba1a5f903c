package load

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Shard is one part of a run split across machines: Index of Count, 1-based.
// User u (0-based) belongs to shard u%Count + 1, so all of a user's devices run
// on one shard and every shard gets every Count-th user.
type Shard struct {
	Index int
	Count int
}

// Owns reports whether user u belongs to the shard. The zero Shard owns every
// user.
func (s Shard) Owns(u int) bool {
	if s.Count <= 1 {
		return true
	}
	return u%s.Count+1 == s.Index
}

// ParseShard reads "i/N" with 1 <= i <= N.
func ParseShard(v string) (Shard, error) {
	var s Shard
	if _, err := fmt.Sscanf(v, "%d/%d", &s.Index, &s.Count); err != nil || fmt.Sprintf("%d/%d", s.Index, s.Count) != v {
		return Shard{}, fmt.Errorf("shard %q: want i/N, for example 2/4", v)
	}
	if s.Count < 1 || s.Index < 1 || s.Index > s.Count {
		return Shard{}, fmt.Errorf("shard %q: need 1 <= i <= N", v)
	}
	return s, nil
}

// tickKind says what a scheduled tick asks for.
type tickKind uint8

const (
	tickConnect    tickKind = iota // a device starts (after ramp-up)
	tickPoll                       // laptop poll, NOOP poll without IDLE
	tickSweep                      // desktop folder sweep
	tickRenew                      // end and restart IDLE
	tickSleep                      // laptop goes to sleep
	tickWake                       // laptop wakes
	tickSession                    // fetch phone or webmail session
	tickReconnect                  // push phone's network drops
	tickAction                     // a user action, on the device in the tick
	tickDeliver                    // a message arrives for the user
	tickCheckpoint                 // all of a user's devices must agree
	// tickReact is not scheduled: a device reacts to a notification.
	tickReact
	// tickFollow is not scheduled: the second half of an action, after
	// the user's think time.
	tickFollow
	numTickKinds
)

var tickNames = [numTickKinds]string{"connect", "poll", "sweep", "renew", "sleep", "wake", "session", "reconnect", "action", "deliver", "checkpoint", "react", "follow"}

func (k tickKind) String() string { return tickNames[k] }

// Tick is one scheduled event of the plan. At counts from the run's start.
type Tick struct {
	At     time.Duration
	Kind   tickKind
	User   int // global user index
	Device int // index into the user's devices; -1 for user-level ticks
	Action ActionKind
	// Rand drives the choices made when the tick runs (which message).
	Rand uint64
}

// stream produces the ticks of one device, or of one user-level process
// (actions, deliveries, checkpoints), from its own random source: the schedule
// depends only on the seed and the user, never on how the run goes.
type stream struct {
	rng  *rand.Rand
	next Tick
	done bool
	gen  func(s *stream) bool // advances s.next; false when the stream ends
	// state of the generator
	start  time.Duration
	end    time.Duration
	period time.Duration
	other  time.Duration // second timer (sweep, renew, sleep)
	third  time.Duration
	asleep bool
	// for action streams: device weights
	weights []float64
	mix     []float64
	rate    float64
	jitter  float64
	spec    *DeviceSpec
	w       *Workload
}

// streamSeed derives the seed of one stream from the run's seed, the user and
// the stream's number (splitmix64 mixing, so neighbouring users differ).
func streamSeed(seed int64, user, stream int) (uint64, uint64) {
	x := uint64(seed) ^ uint64(user)*0x9E3779B97F4A7C15 ^ uint64(stream+1)*0xBF58476D1CE4E5B9
	return splitmix(x), splitmix(x + 0x94D049BB133111EB)
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// unit maps a hash to [0, 1).
func unit(x uint64) float64 { return float64(x>>11) / (1 << 53) }

// Jittered returns d spread uniformly by +-jitter, drawn from rng. It is the
// pacing of periodic device loops.
func Jittered(rng *rand.Rand, d time.Duration, jitter float64) time.Duration {
	if jitter <= 0 {
		return d
	}
	f := 1 + jitter*(2*rng.Float64()-1)
	return time.Duration(float64(d) * f)
}

// PoissonGap returns the time to the next event of a Poisson process of rate
// events per second: exponentially distributed, mean 1/rate. A rate of zero
// never fires.
func PoissonGap(rng *rand.Rand, rate float64) time.Duration {
	if rate <= 0 {
		return math.MaxInt64
	}
	return time.Duration(rng.ExpFloat64() / rate * float64(time.Second))
}

// RampStart is when user u of users starts under a linear ramp-up: users start
// evenly spread over rampUp, the first at 0. It depends on the global user
// index, so shards start their users when a single run would.
func RampStart(u, users int, rampUp time.Duration) time.Duration {
	if users <= 1 || rampUp <= 0 {
		return 0
	}
	return time.Duration(float64(rampUp) * float64(u) / float64(users))
}

// Pace tells a scheduler what to do at elapsed time since the run started,
// given the next tick's planned time and the run's length: how long to wait
// before dispatching it (0: now), and whether the schedule is over (the tick
// is at or after the end). A tick whose time has passed has wait 0 and a
// lateness of elapsed-next, which the caller counts.
func Pace(elapsed, next, end time.Duration) (wait time.Duration, stop bool) {
	if next >= end {
		return 0, true
	}
	if next > elapsed {
		return next - elapsed, false
	}
	return 0, false
}

// tickHeap orders streams by their next tick (then by user and device, so
// that equal times dispatch in a stable order).
type tickHeap []*stream

func (h tickHeap) Len() int { return len(h) }
func (h tickHeap) Less(i, j int) bool {
	a, b := h[i].next, h[j].next
	if a.At != b.At {
		return a.At < b.At
	}
	if a.User != b.User {
		return a.User < b.User
	}
	if a.Device != b.Device {
		return a.Device < b.Device
	}
	return a.Kind < b.Kind
}
func (h tickHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *tickHeap) Push(x any)   { *h = append(*h, x.(*stream)) }
func (h *tickHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Schedule is the plan's ticks in time order, produced lazily.
type Schedule struct {
	h   tickHeap
	end time.Duration
}

// Next returns the next tick before the end of the run, or false when there
// is none.
func (s *Schedule) Next() (Tick, bool) {
	for len(s.h) > 0 {
		st := s.h[0]
		t := st.next
		if t.At >= s.end {
			heap.Pop(&s.h)
			continue
		}
		if st.gen(st) {
			heap.Fix(&s.h, 0)
		} else {
			heap.Pop(&s.h)
		}
		return t, true
	}
	return Tick{}, false
}

// Peek returns the time of the next tick, or false when there is none.
func (s *Schedule) Peek() (time.Duration, bool) {
	for len(s.h) > 0 {
		if s.h[0].next.At >= s.end {
			heap.Pop(&s.h)
			continue
		}
		return s.h[0].next.At, true
	}
	return 0, false
}

// userDevices returns which devices user u owns: for each device spec, Count
// devices when the user is among the spec's Share of users (chosen by a hash
// of the seed, the user and the spec). A user who would own none gets the
// first spec's devices.
func userDevices(w *Workload, seed int64, u int) []int {
	var specs []int
	for i, d := range w.Devices {
		h, _ := streamSeed(seed, u, 1000+i)
		if unit(h) < d.Share {
			for range d.Count {
				specs = append(specs, i)
			}
		}
	}
	if len(specs) == 0 && len(w.Devices) > 0 {
		for range w.Devices[0].Count {
			specs = append(specs, 0)
		}
	}
	return specs
}

// stream numbers within a user: devices use their index; user-level streams
// use these.
const (
	streamActions     = 100
	streamDeliveries  = 101
	streamCheckpoints = 102
)

// NewSchedule builds the schedule of the users the shard owns: every device's
// loop, every user's actions, deliveries and checkpoints, over a run of length
// duration with ramp-up rampUp. The same arguments always give the same
// ticks.
func NewSchedule(w *Workload, users int, seed int64, shard Shard, duration, rampUp time.Duration) *Schedule {
	s := &Schedule{end: duration}
	for u := range users {
		if !shard.Owns(u) {
			continue
		}
		start := RampStart(u, users, rampUp)
		devs := userDevices(w, seed, u)
		for di, si := range devs {
			s.add(newDeviceStream(w, &w.Devices[si], seed, u, di, start, duration))
		}
		s.add(newActionStream(w, devs, seed, u, start))
		s.add(newPoissonStream(w, seed, u, streamDeliveries, tickDeliver, w.perSecond(w.Delivery.PerUserPerHour), start))
		if w.Checks.CheckpointEvery > 0 {
			s.add(newCheckpointStream(w, seed, u, start))
		}
	}
	heap.Init(&s.h)
	return s
}

func (s *Schedule) add(st *stream) {
	if st != nil {
		s.h = append(s.h, st)
	}
}

func newRand(seed int64, user, stream int) *rand.Rand {
	a, b := streamSeed(seed, user, stream)
	return rand.New(rand.NewPCG(a, b))
}

func newDeviceStream(w *Workload, spec *DeviceSpec, seed int64, u, di int, start, end time.Duration) *stream {
	st := &stream{rng: newRand(seed, u, di), spec: spec, w: w, jitter: spec.Jitter, start: start, end: end}
	// A device connects at its user's start plus a small spread, so that the
	// devices of one user do not all dial in the same microsecond.
	first := start + time.Duration(st.rng.Float64()*float64(50*time.Millisecond))
	st.next = Tick{At: first, Kind: tickConnect, User: u, Device: di}
	every := func(d time.Duration) time.Duration {
		return first + Jittered(st.rng, w.real(d), st.jitter)
	}
	switch spec.Kind {
	case Desktop:
		st.period = every(spec.SweepEvery)             // next sweep
		st.other = every(min(spec.IdleRenew, maxIdle)) // next renew
		st.third = every(spec.PollEvery)               // next NOOP poll (used without IDLE)
		st.gen = genDesktop
	case Laptop:
		st.period = every(spec.PollEvery)
		st.other = every(spec.SleepEvery)
		st.gen = genLaptop
	case Phone:
		if spec.Mode == PhonePush {
			st.period = every(spec.ReconnectEvery)
			st.other = every(min(spec.IdleRenew, maxIdle))
			st.third = every(spec.PollEvery)
			st.gen = genPushPhone
		} else {
			st.period = every(spec.SessionEvery)
			st.gen = genSession
		}
	case Webmail:
		st.period = every(spec.SessionEvery)
		st.gen = genSession
	default:
		return nil
	}
	return st
}

// The generators below set st.next to the stream's following tick. Each keeps
// the due times of its timers and emits the earliest.

func genDesktop(st *stream) bool {
	t := st.next
	sp := st.spec
	switch {
	case st.period <= st.other && st.period <= st.third:
		t.At, t.Kind = st.period, tickSweep
		st.period += Jittered(st.rng, st.w.real(sp.SweepEvery), st.jitter)
	case st.other <= st.third:
		t.At, t.Kind = st.other, tickRenew
		st.other += Jittered(st.rng, min(st.w.real(sp.IdleRenew), maxIdle), st.jitter)
	default:
		t.At, t.Kind = st.third, tickPoll
		st.third += Jittered(st.rng, st.w.real(sp.PollEvery), st.jitter)
	}
	st.next = t
	return true
}

func genPushPhone(st *stream) bool {
	t := st.next
	sp := st.spec
	switch {
	case st.period <= st.other && st.period <= st.third:
		t.At, t.Kind = st.period, tickReconnect
		st.period += Jittered(st.rng, st.w.real(sp.ReconnectEvery), st.jitter)
	case st.other <= st.third:
		t.At, t.Kind = st.other, tickRenew
		st.other += Jittered(st.rng, min(st.w.real(sp.IdleRenew), maxIdle), st.jitter)
	default:
		t.At, t.Kind = st.third, tickPoll
		st.third += Jittered(st.rng, st.w.real(sp.PollEvery), st.jitter)
	}
	st.next = t
	return true
}

func genLaptop(st *stream) bool {
	t := st.next
	sp := st.spec
	if st.asleep {
		// other holds the wake time; polls due while asleep never happen.
		t.At, t.Kind = st.other, tickWake
		st.asleep = false
		st.other = t.At + Jittered(st.rng, st.w.real(sp.SleepEvery), st.jitter)
		for st.period <= t.At {
			st.period += Jittered(st.rng, st.w.real(sp.PollEvery), st.jitter)
		}
		st.next = t
		return true
	}
	if st.other <= st.period {
		t.At, t.Kind = st.other, tickSleep
		st.asleep = true
		st.other = t.At + Jittered(st.rng, st.w.real(sp.SleepFor), st.jitter)
	} else {
		t.At, t.Kind = st.period, tickPoll
		st.period += Jittered(st.rng, st.w.real(sp.PollEvery), st.jitter)
	}
	st.next = t
	return true
}

func genSession(st *stream) bool {
	t := st.next
	t.At, t.Kind = st.period, tickSession
	st.period += Jittered(st.rng, st.w.real(st.spec.SessionEvery), st.jitter)
	st.next = t
	return true
}

// newPoissonStream emits ticks of kind at the given rate (per second of real
// time) from the user's start on.
func newPoissonStream(w *Workload, seed int64, u, num int, kind tickKind, rate float64, start time.Duration) *stream {
	if rate <= 0 {
		return nil
	}
	st := &stream{rng: newRand(seed, u, num), rate: rate, w: w}
	// Deliveries and actions begin once the user's devices had time to
	// connect: one second after the user's start.
	at := start + time.Second + PoissonGap(st.rng, rate)
	st.next = Tick{At: at, Kind: kind, User: u, Device: -1, Rand: st.rng.Uint64()}
	st.gen = func(st *stream) bool {
		t := st.next
		t.At += PoissonGap(st.rng, st.rate)
		t.Rand = st.rng.Uint64()
		st.next = t
		return true
	}
	return st
}

// newActionStream emits the user's actions: a Poisson process, each action of
// a kind drawn from the mix and on a device drawn by the devices' weights.
func newActionStream(w *Workload, devs []int, seed int64, u int, start time.Duration) *stream {
	rate := w.perSecond(w.Actions.PerUserPerHour)
	if rate <= 0 || len(devs) == 0 {
		return nil
	}
	st := newPoissonStream(w, seed, u, streamActions, tickAction, rate, start)
	for _, si := range devs {
		st.weights = append(st.weights, w.Devices[si].ActionWeight)
	}
	for _, k := range ActionKinds {
		st.mix = append(st.mix, w.Actions.Mix[k])
	}
	pick := func(st *stream) {
		st.next.Device = weighted(st.rng, st.weights)
		st.next.Action = ActionKinds[weighted(st.rng, st.mix)]
	}
	pick(st)
	base := st.gen
	st.gen = func(st *stream) bool {
		base(st)
		pick(st)
		return true
	}
	return st
}

// weighted draws an index with probability proportional to its weight.
func weighted(rng *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	if total <= 0 {
		return 0
	}
	r := rng.Float64() * total
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

func newCheckpointStream(w *Workload, seed int64, u int, start time.Duration) *stream {
	every := w.real(w.Checks.CheckpointEvery)
	if every <= 0 {
		return nil
	}
	st := &stream{rng: newRand(seed, u, streamCheckpoints), period: every, w: w}
	at := start + every/2 + time.Duration(st.rng.Float64()*float64(every)/2)
	st.next = Tick{At: at, Kind: tickCheckpoint, User: u, Device: -1}
	st.gen = func(st *stream) bool {
		st.next.At += st.period
		return true
	}
	return st
}

// IntendedRate is the plan's average tick rate per second at full load, for
// the users of the shard: devices' loops, actions, deliveries and checkpoints.
func IntendedRate(w *Workload, users int, seed int64, shard Shard) float64 {
	rate := 0.0
	per := func(d time.Duration) float64 {
		if r := w.real(d); r > 0 {
			return 1 / r.Seconds()
		}
		return 0
	}
	for u := range users {
		if !shard.Owns(u) {
			continue
		}
		for _, si := range userDevices(w, seed, u) {
			d := &w.Devices[si]
			switch d.Kind {
			case Desktop:
				rate += per(d.SweepEvery) + per(min(d.IdleRenew, maxIdle)) + per(d.PollEvery)
			case Laptop:
				awake := 1.0
				if d.SleepEvery > 0 {
					awake = 1 - float64(d.SleepFor)/float64(d.SleepEvery)
				}
				rate += per(d.PollEvery)*awake + 2*per(d.SleepEvery)
			case Phone:
				if d.Mode == PhonePush {
					rate += per(d.ReconnectEvery) + per(min(d.IdleRenew, maxIdle)) + per(d.PollEvery)
				} else {
					rate += per(d.SessionEvery)
				}
			case Webmail:
				rate += per(d.SessionEvery)
			}
		}
		rate += w.perSecond(w.Actions.PerUserPerHour) + w.perSecond(w.Delivery.PerUserPerHour)
		rate += per(w.Checks.CheckpointEvery)
	}
	return rate
}
