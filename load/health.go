package load

import (
	"runtime"
	rtmetrics "runtime/metrics"
	"sync"
	"syscall"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// Overload rule: a run whose scheduler woke up late measures the generator,
// not the server. The run is invalid when the 99th percentile of the
// scheduler's timer lateness exceeds maxSchedulerLagP99, or any wake-up was
// later than maxSchedulerLag.
const (
	maxSchedulerLagP99 = 100 * time.Millisecond
	maxSchedulerLag    = 2 * time.Second
)

// health samples the generator's own CPU, memory, GC and goroutines once a
// second, and stores the connection counts in the time series.
type health struct {
	r       *Runner
	done    chan struct{}
	stopped chan struct{}

	mu            sync.Mutex
	cpuStart      time.Duration
	cpu           time.Duration
	maxCPUPercent float64
	maxHeap       int64
	maxGoroutines int64
	gcStart       uint32
	pauseStart    uint64
	gcCycles      int64
	gcPause       time.Duration
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startHealth(r *Runner) *health {
	h := &health{r: r, done: make(chan struct{}), stopped: make(chan struct{}), cpuStart: processCPU()}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.gcStart, h.pauseStart = ms.NumGC, ms.PauseTotalNs
	go h.loop()
	return h
}

func (h *health) loop() {
	defer close(h.stopped)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	lastCPU, lastAt := processCPU(), time.Now()
	samples := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/sched/goroutines:goroutines"}}
	series := time.NewTicker(h.r.cfg.Interval)
	defer series.Stop()
	for {
		select {
		case <-h.done:
			h.sample(&lastCPU, &lastAt, samples)
			return
		case now := <-series.C:
			h.r.metrics.sampleConnections(now.Add(-time.Millisecond))
		case <-t.C:
			h.sample(&lastCPU, &lastAt, samples)
		}
	}
}

func (h *health) sample(lastCPU *time.Duration, lastAt *time.Time, samples []rtmetrics.Sample) {
	cpu, now := processCPU(), time.Now()
	rtmetrics.Read(samples)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.mu.Lock()
	defer h.mu.Unlock()
	// Rusage counts in clock ticks: a share over less than half a second
	// would be mostly rounding.
	if dt := now.Sub(*lastAt); dt >= 500*time.Millisecond {
		h.maxCPUPercent = max(h.maxCPUPercent, 100*float64(cpu-*lastCPU)/float64(dt))
		*lastCPU, *lastAt = cpu, now
	}
	h.cpu = cpu - h.cpuStart
	if samples[0].Value.Kind() == rtmetrics.KindUint64 {
		h.maxHeap = max(h.maxHeap, int64(samples[0].Value.Uint64()))
	}
	if samples[1].Value.Kind() == rtmetrics.KindUint64 {
		h.maxGoroutines = max(h.maxGoroutines, int64(samples[1].Value.Uint64()))
	}
	h.gcCycles = int64(ms.NumGC - h.gcStart)
	h.gcPause = time.Duration(ms.PauseTotalNs - h.pauseStart)
}

func (h *health) stop() {
	close(h.done)
	<-h.stopped
	h.r.metrics.sampleConnections(time.Now())
}

// fill writes the generator's health into g and judges it (see the overload
// rule above).
func (h *health) fill(g *reports.Generator) {
	h.mu.Lock()
	g.CPUSeconds = h.cpu.Seconds()
	g.MaxCPUPercent = h.maxCPUPercent
	g.MaxHeapBytes = h.maxHeap
	g.GCCycles = h.gcCycles
	g.GCPause = h.gcPause
	g.MaxGoroutines = h.maxGoroutines
	h.mu.Unlock()
	if lag := g.SchedulerLag; lag != nil && lag.Count() > 0 {
		switch {
		case lag.Percentile(99) > maxSchedulerLagP99:
			g.Overloaded = true
			g.Reason = "scheduler lag p99 " + reports.FormatDuration(lag.Percentile(99)) + " over " + reports.FormatDuration(maxSchedulerLagP99)
		case lag.Max() > maxSchedulerLag:
			g.Overloaded = true
			g.Reason = "a scheduler wake-up was " + reports.FormatDuration(lag.Max()) + " late"
		}
	}
}
