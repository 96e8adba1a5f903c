package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"regexp"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Charts are drawn with gonum/plot into SVG and inlined in the HTML report:
// no image files, no scripts, nothing fetched.

// chartSeries is one named line of a chart.
type chartSeries struct {
	name string
	pts  plotter.XYs
}

// palette is a colour-blind-safe qualitative palette (Okabe-Ito).
var palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xff}, {0xD5, 0x5E, 0x00, 0xff}, {0x00, 0x9E, 0x73, 0xff}, {0xCC, 0x79, 0xA7, 0xff},
	{0xE6, 0x9F, 0x00, 0xff}, {0x56, 0xB4, 0xE9, 0xff}, {0x00, 0x00, 0x00, 0xff}, {0xF0, 0xE4, 0x42, 0xff},
}

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Title.TextStyle.Font = font.From(sans, 11)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 9)
		a.Tick.Label.Font = font.From(sans, 8)
	}
	p.Legend.TextStyle.Font = font.From(sans, 8)
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// addLines adds every series to p as a coloured line with a legend entry.
func addLines(p *plot.Plot, ss []chartSeries) error {
	for i, s := range ss {
		if len(s.pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(s.pts)
		if err != nil {
			return fmt.Errorf("chart %q, series %q: %w", p.Title.Text, s.name, err)
		}
		l.LineStyle.Color = palette[i%len(palette)]
		l.LineStyle.Width = vg.Points(1.2)
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	// Headroom above the data for the legend, which sits top right.
	if p.Y.Max > p.Y.Min {
		p.Y.Max += 0.35 * (p.Y.Max - p.Y.Min)
	} else {
		p.Y.Max = p.Y.Min + 1
	}
	return nil
}

var svgHead = regexp.MustCompile(`(?s)^.*?<svg width="[^"]*" height="[^"]*"`)

// renderSVG draws p at the given size and returns it as inline SVG for HTML:
// no XML prelude, scaling to the width of its container.
func renderSVG(p *plot.Plot, w, h vg.Length) (template.HTML, error) {
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	out := svgHead.ReplaceAll(b.Bytes(), []byte(`<svg class="chart" role="img" width="100%"`))
	// #nosec: the SVG is produced by our own plotting code from numbers and
	// from chart labels escaped by the SVG writer.
	return template.HTML(out), nil
}

// lineChart draws series over a shared X axis.
func lineChart(title, xLabel, yLabel string, ss []chartSeries) (template.HTML, error) {
	p := newPlot(title, xLabel, yLabel)
	p.Y.Min = 0
	if err := addLines(p, ss); err != nil {
		return "", err
	}
	return renderSVG(p, 6*vg.Inch, 2.4*vg.Inch)
}

// percentileTicks label the X axis of a percentile distribution chart, whose
// X is 1/(1-q) on a log scale: the tail gets as much room as the body.
var percentileTicks = plot.ConstantTicks{
	{Value: 1, Label: "0%"}, {Value: 2, Label: "50%"}, {Value: 10, Label: "90%"}, {Value: 100, Label: "99%"},
	{Value: 1000, Label: "99.9%"}, {Value: 10000, Label: "99.99%"}, {Value: 100000, Label: "99.999%"},
}

// distributionChart draws the latency-by-percentile curve of each histogram,
// in the style of HdrHistogram's plots.
func distributionChart(title string, hs []namedHistogram) (template.HTML, error) {
	p := newPlot(title, "percentile", "latency (ms)")
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = percentileTicks
	p.X.Min = 1
	p.Y.Min = 0
	var ss []chartSeries
	maxX := 10.0
	for _, nh := range hs {
		if nh.h == nil || nh.h.Count() == 0 {
			continue
		}
		var pts plotter.XYs
		// Quantiles spaced evenly on the log axis, up to the one the
		// sample count can resolve.
		limit := 1 - 1/float64(nh.h.Count())
		for i := 0; ; i++ {
			x := math.Pow(10, float64(i)/20)
			q := 1 - 1/x
			if q > limit || i > 100 {
				break
			}
			pts = append(pts, plotter.XY{X: x, Y: ms(nh.h.Percentile(100 * q))})
			maxX = max(maxX, x)
		}
		ss = append(ss, chartSeries{name: nh.name, pts: pts})
	}
	p.X.Max = maxX
	if err := addLines(p, ss); err != nil {
		return "", err
	}
	return renderSVG(p, 6*vg.Inch, 2.4*vg.Inch)
}

type namedHistogram struct {
	name string
	h    *Histogram
}

// ms converts a duration in nanoseconds to milliseconds for chart axes.
func ms[T ~int64](d T) float64 { return float64(d) / 1e6 }
