package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram geometry used by imapgauge: values are nanoseconds, from 1 µs to
// one hour. Histograms merge exactly only when their geometries are equal, so
// every histogram of a kind should come from the same constructor.
const (
	histogramLowest  = int64(time.Microsecond)
	histogramHighest = int64(time.Hour)
	// LatencyDigits is the precision of run-wide histograms (0.1%).
	LatencyDigits = 3
	// SeriesDigits is the precision of per-interval histograms (1%): they are
	// many and feed charts.
	SeriesDigits = 2
)

// Histogram is an HDR histogram of durations, in nanoseconds, that encodes to
// JSON exactly: decoding an encoded histogram gives back the same counts, and
// merging two histograms gives exactly the histogram of the combined samples.
// The zero value is not usable; use NewLatencyHistogram, NewSeriesHistogram or
// HistogramOf. A Histogram is not safe for concurrent use.
type Histogram struct {
	h *hdrhistogram.Histogram
}

// NewLatencyHistogram returns an empty histogram for a run-wide distribution
// (1 µs to 1 h, 3 significant digits).
func NewLatencyHistogram() *Histogram {
	return &Histogram{h: hdrhistogram.New(histogramLowest, histogramHighest, LatencyDigits)}
}

// NewSeriesHistogram returns an empty histogram for one interval of a time
// series (1 µs to 1 h, 2 significant digits).
func NewSeriesHistogram() *Histogram {
	return &Histogram{h: hdrhistogram.New(histogramLowest, histogramHighest, SeriesDigits)}
}

// HistogramOf wraps a copy of h, a histogram whose values are nanoseconds.
func HistogramOf(h *hdrhistogram.Histogram) *Histogram {
	return &Histogram{h: h.Clone()}
}

// HDR returns the underlying HDR histogram (not a copy).
func (h *Histogram) HDR() *hdrhistogram.Histogram { return h.h }

// Clone returns an independent copy of h.
func (h *Histogram) Clone() *Histogram { return &Histogram{h: h.h.Clone()} }

// Record adds one sample. A duration above the histogram's highest trackable
// value is recorded as that value; a negative one as zero.
func (h *Histogram) Record(d time.Duration) { h.RecordN(d, 1) }

// RecordN adds n samples of duration d, clamped as Record clamps.
func (h *Histogram) RecordN(d time.Duration, n int64) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	if hi := h.h.HighestTrackableValue(); v > hi {
		v = hi
	}
	// In range by construction; an error here can only be a count overflow.
	_ = h.h.RecordValues(v, n)
}

// Count is the number of samples recorded.
func (h *Histogram) Count() int64 { return h.h.TotalCount() }

// Percentile returns the value at percentile p (0 to 100): the highest value
// equivalent to the one below which p percent of the samples fall.
func (h *Histogram) Percentile(p float64) time.Duration {
	return time.Duration(h.h.ValueAtPercentile(p))
}

// Max returns the largest recorded value (to the histogram's precision).
func (h *Histogram) Max() time.Duration { return time.Duration(h.h.Max()) }

// Min returns the smallest recorded value (to the histogram's precision).
func (h *Histogram) Min() time.Duration { return time.Duration(h.h.Min()) }

// Mean returns the mean of the recorded values.
func (h *Histogram) Mean() time.Duration { return time.Duration(h.h.Mean()) }

// ErrGeometry is returned when merging histograms of different geometry: the
// merge would not be exact.
var ErrGeometry = errors.New("histograms have different geometry (lowest, highest, significant digits)")

// Merge adds every sample of o to h. Both must have the same geometry, or the
// merge would lose precision; then h holds exactly the histogram of the
// combined samples.
func (h *Histogram) Merge(o *Histogram) error {
	if o == nil {
		return nil
	}
	if !sameGeometry(h.h, o.h) {
		return ErrGeometry
	}
	if dropped := h.h.Merge(o.h); dropped != 0 {
		return fmt.Errorf("merge dropped %d samples (count overflow)", dropped)
	}
	return nil
}

// Equal reports whether h and o have the same geometry and the same counts.
func (h *Histogram) Equal(o *Histogram) bool {
	if h == nil || o == nil {
		return h == o
	}
	return h.h.Equals(o.h)
}

func sameGeometry(a, b *hdrhistogram.Histogram) bool {
	return a.LowestTrackableValue() == b.LowestTrackableValue() &&
		a.HighestTrackableValue() == b.HighestTrackableValue() &&
		a.SignificantFigures() == b.SignificantFigures()
}

// histogramJSON is the encoded form of a Histogram: the snapshot's geometry
// and its counts array, run-length encoded: a negative number -n stands for n
// consecutive zero counts (the convention of HdrHistogram's V2 wire format),
// trailing zeros are dropped. Summary is derived, for readers that do not
// decode counts; Decode ignores it.
type histogramJSON struct {
	Lowest  int64            `json:"lowest"`
	Highest int64            `json:"highest"`
	Digits  int64            `json:"digits"`
	Count   int64            `json:"count"`
	Counts  []int64          `json:"counts"`
	Summary histogramSummary `json:"summary"`
}

type histogramSummary struct {
	Min  int64 `json:"min_ns"`
	Mean int64 `json:"mean_ns"`
	P50  int64 `json:"p50_ns"`
	P90  int64 `json:"p90_ns"`
	P99  int64 `json:"p99_ns"`
	P999 int64 `json:"p999_ns"`
	Max  int64 `json:"max_ns"`
}

// maxHistogramCounts bounds the counts array a decoded histogram may claim, so
// that a hostile document cannot make Decode allocate without limit.
const maxHistogramCounts = 1 << 22

// MarshalJSON encodes the histogram exactly (see histogramJSON).
func (h *Histogram) MarshalJSON() ([]byte, error) {
	s := h.h.Export()
	out := histogramJSON{
		Lowest:  s.LowestTrackableValue,
		Highest: s.HighestTrackableValue,
		Digits:  s.SignificantFigures,
		Count:   h.h.TotalCount(),
		Counts:  runLength(s.Counts),
	}
	if out.Count > 0 {
		out.Summary = histogramSummary{
			Min:  h.h.Min(),
			Mean: int64(math.Round(h.h.Mean())),
			P50:  h.h.ValueAtPercentile(50),
			P90:  h.h.ValueAtPercentile(90),
			P99:  h.h.ValueAtPercentile(99),
			P999: h.h.ValueAtPercentile(99.9),
			Max:  h.h.Max(),
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes a histogram written by MarshalJSON, rejecting
// geometry it cannot represent, negative or overflowing counts, and a count
// field that disagrees with the counts.
func (h *Histogram) UnmarshalJSON(data []byte) error {
	var in histogramJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	if in.Lowest < 1 || in.Highest < 2*in.Lowest {
		return fmt.Errorf("histogram: invalid range %d..%d", in.Lowest, in.Highest)
	}
	counts, err := expandRunLength(in.Counts)
	if err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	s := &hdrhistogram.Snapshot{
		LowestTrackableValue:  in.Lowest,
		HighestTrackableValue: in.Highest,
		SignificantFigures:    in.Digits,
		Counts:                counts,
	}
	if s.SignificantFigures < 1 || s.SignificantFigures > 5 {
		return fmt.Errorf("histogram: significant digits must be 1 to 5, got %d", s.SignificantFigures)
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	hh := hdrhistogram.Import(s)
	if hh.TotalCount() != in.Count {
		return fmt.Errorf("histogram: count is %d but the counts sum to %d", in.Count, hh.TotalCount())
	}
	h.h = hh
	return nil
}

// runLength encodes counts with zero runs as negative numbers and drops
// trailing zeros.
func runLength(counts []int64) []int64 {
	end := len(counts)
	for end > 0 && counts[end-1] == 0 {
		end--
	}
	out := []int64{}
	zeros := int64(0)
	for _, c := range counts[:end] {
		if c == 0 {
			zeros++
			continue
		}
		if zeros > 0 {
			out = append(out, -zeros)
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

func expandRunLength(enc []int64) ([]int64, error) {
	n := int64(0)
	for _, c := range enc {
		if c < 0 {
			if c == math.MinInt64 || n-c > maxHistogramCounts {
				return nil, errors.New("counts array too long")
			}
			n -= c
		} else {
			n++
		}
		if n > maxHistogramCounts {
			return nil, errors.New("counts array too long")
		}
	}
	out := make([]int64, 0, n)
	for _, c := range enc {
		if c < 0 {
			out = append(out, make([]int64, -c)...)
		} else {
			out = append(out, c)
		}
	}
	return out, nil
}
