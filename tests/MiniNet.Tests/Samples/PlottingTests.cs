using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using FluentAssertions;
using MiniNet.Plotting;
using Xunit;

namespace MiniNet.Tests.Samples;

public class PlottingTests
{
    private const int Width = 640, Height = 400;

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Crc32.Compute(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xCBF43926u);
        Crc32.Compute(ReadOnlySpan<byte>.Empty).Should().Be(0u);
    }

    [Fact]
    public void Png_HasSignatureHeaderValidChunksAndTheCanvasPixels()
    {
        Canvas canvas = new Figure(SampleChart()).Render(Width, Height);
        byte[] png = canvas.ToPng();

        png.AsSpan(0, 8).ToArray().Should().Equal(PngEncoder.Signature.ToArray());
        List<(string Type, byte[] Data)> chunks = ReadChunks(png);
        chunks.Select(c => c.Type).First().Should().Be("IHDR");
        chunks.Select(c => c.Type).Last().Should().Be("IEND");
        chunks.Should().Contain(c => c.Type == "IDAT");

        byte[] header = chunks[0].Data;
        header.Should().HaveCount(13);
        BinaryPrimitives.ReadInt32BigEndian(header).Should().Be(Width);
        BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)).Should().Be(Height);
        header[8].Should().Be(8, "bit depth");
        header[9].Should().Be(6, "colour type RGBA");

        byte[] raw = Inflate(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        raw.Should().HaveCount((Width * Height * 4) + Height);
        for (int row = 0; row < Height; row++)
        {
            int start = row * ((Width * 4) + 1);
            raw[start].Should().Be(0, "row {0} uses filter type None", row);
            raw.AsSpan(start + 1, Width * 4).SequenceEqual(canvas.Pixels.Slice(row * Width * 4, Width * 4))
                .Should().BeTrue("row {0} decodes to the canvas pixels", row);
        }
    }

    [Fact]
    public void Png_IsDeterministic_AndDependsOnTheData()
    {
        byte[] first = SampleChart().ToPng(Width, Height);
        byte[] second = SampleChart().ToPng(Width, Height);
        first.Should().Equal(second);

        var other = SampleChart();
        other.AddSeries("extra", new[] { 0.0, 10 }, new[] { 0.5, 0.5 });
        other.ToPng(Width, Height).Should().NotEqual(first);
    }

    [Fact]
    public void Line_IsDrawnWhereTheAxesMapTheData()
    {
        var red = new Rgba(220, 0, 0);
        var chart = new LineChart("flat", "x", "y") { YMin = 0, YMax = 10, ShowLegend = false };
        chart.AddSeries("five", new[] { 0.0, 10 }, new[] { 5.0, 5 }, red);
        Canvas canvas = new Figure(chart).Render(Width, Height);
        var layout = new ChartLayout(chart, 0, 0, Width, Height);

        int column = (int)layout.MapX(5), row = (int)Math.Round(layout.MapY(5));
        canvas.GetPixel(column, row).Should().Be(red, "the stroke is 2.5 px wide, centred on the data");
        canvas.GetPixel(column, row - 6).Should().Be(Rgba.White, "6 px above the line is background");
        canvas.GetPixel(column, row + 6).Should().Be(Rgba.White, "6 px below the line is background");
    }

    [Fact]
    public void Nan_BreaksTheLine_InPngAndSvg()
    {
        var red = new Rgba(220, 0, 0);
        var chart = new LineChart("gap", "x", "y") { YMin = 0, YMax = 10, ShowLegend = false };
        chart.AddSeries("gapped", new[] { 0.0, 1, 2, 3, 4 }, new[] { 5.0, 5, double.NaN, 5, 5 }, red);
        Canvas canvas = new Figure(chart).Render(Width, Height);
        var layout = new ChartLayout(chart, 0, 0, Width, Height);

        int row = (int)Math.Round(layout.MapY(5));
        canvas.GetPixel((int)layout.MapX(0.5), row).Should().Be(red);
        canvas.GetPixel((int)layout.MapX(1.6), row).Should().Be(Rgba.White, "no segment touches the NaN point");
        canvas.GetPixel((int)layout.MapX(2.4), row).Should().Be(Rgba.White, "no segment touches the NaN point");
        canvas.GetPixel((int)layout.MapX(3.5), row).Should().Be(red);

        XNamespace ns = "http://www.w3.org/2000/svg";
        string path = XDocument.Parse(chart.ToSvg(Width, Height)).Descendants(ns + "path").Single().Attribute("d")!.Value;
        path.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(step => step[0]).Should().Equal('M', 'L', 'M', 'L');
    }

    [Fact]
    public void Text_InksTheTitleBox_AndNothingWithoutATitle()
    {
        Canvas titled = new Figure(SampleChart()).Render(Width, Height);
        Canvas untitled = new Figure(SampleChart(title: string.Empty)).Render(Width, Height);
        var layout = new ChartLayout(SampleChart(), 0, 0, Width, Height);

        int ink = 0, untitledInk = 0;
        for (int y = layout.TitleY; y < layout.TitleY + ChartLayout.TextHeight; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                ink += titled.GetPixel(x, y) == Rgba.White ? 0 : 1;
                untitledInk += untitled.GetPixel(x, y) == Rgba.White ? 0 : 1;
            }
        }

        ink.Should().BeGreaterThan(100);
        untitledInk.Should().Be(0);
    }

    [Fact]
    public void Font_HasEveryPrintableGlyph_AllDistinct()
    {
        BitmapFont.Validate();
        var seen = new Dictionary<string, char>();
        for (char c = '!'; c <= '~'; c++)
        {
            var cells = new StringBuilder();
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    cells.Append(BitmapFont.IsInked(c, col, row) ? '#' : '.');
                }
            }

            string key = cells.ToString();
            key.Should().Contain("#", "'{0}' must have ink", c);
            seen.Should().NotContainKey(key, "'{0}' must differ from every earlier glyph", c);
            seen[key] = c;
        }
    }

    [Fact]
    public void Svg_IsWellFormed_WithTitleLabelsAndEverySeries()
    {
        var chart = SampleChart();
        chart.AddSeries("a < b & \"c\"", new[] { 0.0, 10 }, new[] { 0.2, 0.3 });
        string svg = new Figure(chart, SampleChart(title: "second panel")).ToSvg(2 * Width, Height);

        XDocument document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        document.Root!.Name.Should().Be(ns + "svg");
        var texts = document.Descendants(ns + "text").Select(t => t.Value).ToList();
        texts.Should().Contain(new[] { "Sample chart", "second panel", "epoch", "cost", "quadratic", "cross-entropy", "a < b & \"c\"" });
        document.Descendants(ns + "path").Should().HaveCount(3 + 2);
        document.Descendants(ns + "g").Should().HaveCount(2);
        svg.Should().Be(new Figure(chart, SampleChart(title: "second panel")).ToSvg(2 * Width, Height), "SVG output is deterministic");
    }

    [Theory]
    [InlineData(0, 4.018)]
    [InlineData(0.0117, 0.4822)]
    [InlineData(-3.2, 7.9)]
    [InlineData(1e-7, 3e-7)]
    [InlineData(250, 250)]
    public void Ticks_CoverTheRange_WithOneTwoFiveSteps(double min, double max)
    {
        (double lo, double hi, double step, int decimals) = Ticks.Nice(min, max, 6);
        double[] values = Ticks.Values(lo, hi, step);

        lo.Should().BeLessThanOrEqualTo(min);
        hi.Should().BeGreaterThanOrEqualTo(max);
        values.Length.Should().BeInRange(3, 13);
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        new[] { 1.0, 2, 5 }.Should().Contain(m => Math.Abs(m - mantissa) < 1e-9, "step {0} is 1, 2 or 5 times a power of ten", step);
        var labels = values.Select(v => Ticks.Format(v, decimals)).ToList();
        labels.Should().OnlyHaveUniqueItems("{0} decimals distinguish every tick", decimals);
        labels.Should().NotContain("-0");
    }

    [Fact]
    public void Throws_OnMismatchedSeries_NamingIt() =>
        FluentActions.Invoking(() => SampleChart().AddSeries("broken", new[] { 1.0, 2 }, new[] { 1.0 }))
            .Should().Throw<ArgumentException>().WithMessage("*broken*2 x values*1 y values*");

    [Fact]
    public void Throws_OnBadCanvasOrFigure()
    {
        FluentActions.Invoking(() => new Canvas(0, 10, Rgba.White)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Figure()).Should().Throw<ArgumentException>();
    }

    private static LineChart SampleChart(string title = "Sample chart")
    {
        var x = new double[50];
        var quadratic = new double[50];
        var crossEntropy = new double[50];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i * 0.2;
            quadratic[i] = 0.5 / (1 + Math.Exp(i * 0.2 - 6));
            crossEntropy[i] = Math.Exp(-i * 0.3);
        }

        return new LineChart(title, "epoch", "cost").AddSeries("quadratic", x, quadratic).AddSeries("cross-entropy", x, crossEntropy);
    }

    private static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        int offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            ReadOnlySpan<byte> typeAndData = png.AsSpan(offset + 4, 4 + length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            string type = Encoding.ASCII.GetString(typeAndData[..4]);
            crc.Should().Be(Crc32.Compute(typeAndData), "chunk {0} carries a valid CRC", type);
            chunks.Add((type, typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        offset.Should().Be(png.Length);
        return chunks;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
