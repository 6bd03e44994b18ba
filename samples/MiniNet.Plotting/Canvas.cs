using System;
using System.IO;

namespace MiniNet.Plotting;

/// <summary>
/// An RGBA raster, row-major, 4 bytes per pixel, origin top-left, with the few drawing primitives a line chart
/// needs: filled rectangles, anti-aliased polylines of any width, and text in the built-in 5x8 font.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>Creates a canvas filled with <paramref name="background"/>.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="background">The fill colour.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1 or above 16384.</exception>
    public Canvas(int width, int height, Rgba background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 16384);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 16384);
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 4];
        FillRect(0, 0, width, height, background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, RGBA, row-major from the top-left.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The colour of one pixel.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The colour.</returns>
    public Rgba GetPixel(int x, int y)
    {
        int i = ((y * Width) + x) * 4;
        return new Rgba(_pixels[i], _pixels[i + 1], _pixels[i + 2], _pixels[i + 3]);
    }

    /// <summary>Fills an axis-aligned rectangle, clipped to the canvas, blending by the colour's alpha.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="color">The fill colour.</param>
    public void FillRect(int x, int y, int width, int height, Rgba color)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = Math.Min(x + width, Width), y1 = Math.Min(y + height, Height);
        for (int row = y0; row < y1; row++)
        {
            for (int col = x0; col < x1; col++)
            {
                Blend(col, row, color, 1.0);
            }
        }
    }

    /// <summary>
    /// Strokes a polyline with anti-aliased edges. Coverage of each pixel is its distance to the nearest segment,
    /// taken as the maximum over segments, so joints are not painted twice; pixels outside the clip rectangle are
    /// untouched. Points with a NaN coordinate break the line.
    /// </summary>
    /// <param name="xs">Pixel x of each vertex.</param>
    /// <param name="ys">Pixel y of each vertex.</param>
    /// <param name="color">The stroke colour.</param>
    /// <param name="thickness">Line width in pixels.</param>
    /// <param name="clip">Only pixels inside this rectangle are drawn (left, top, width, height).</param>
    /// <exception cref="ArgumentException">The coordinate arrays differ in length.</exception>
    public void StrokePolyline(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Rgba color, double thickness, (int X, int Y, int Width, int Height) clip)
    {
        if (xs.Length != ys.Length)
        {
            throw new ArgumentException($"StrokePolyline: {xs.Length} x values but {ys.Length} y values.");
        }

        int cx0 = Math.Max(clip.X, 0), cy0 = Math.Max(clip.Y, 0);
        int cx1 = Math.Min(clip.X + clip.Width, Width), cy1 = Math.Min(clip.Y + clip.Height, Height);
        if (cx1 <= cx0 || cy1 <= cy0)
        {
            return;
        }

        int clipWidth = cx1 - cx0;
        var coverage = new float[clipWidth * (cy1 - cy0)];
        double half = thickness / 2;
        for (int i = 0; i + 1 < xs.Length; i++)
        {
            if (double.IsNaN(xs[i]) || double.IsNaN(ys[i]) || double.IsNaN(xs[i + 1]) || double.IsNaN(ys[i + 1]))
            {
                continue;
            }

            CoverSegment(coverage, clipWidth, cx0, cy0, cx1, cy1, xs[i], ys[i], xs[i + 1], ys[i + 1], half);
        }

        for (int row = cy0; row < cy1; row++)
        {
            for (int col = cx0; col < cx1; col++)
            {
                float c = coverage[((row - cy0) * clipWidth) + (col - cx0)];
                if (c > 0)
                {
                    Blend(col, row, color, c);
                }
            }
        }
    }

    /// <summary>Draws text left to right with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="text">The text; characters outside ASCII 32..126 draw as '?'.</param>
    /// <param name="color">Ink colour.</param>
    /// <param name="scale">Integer magnification of the 5x8 font (2 gives 10x16-pixel glyphs).</param>
    public void DrawText(int x, int y, string text, Rgba color, int scale) =>
        DrawTextCore(x, y, text, color, scale, rotated: false);

    /// <summary>
    /// Draws text rotated a quarter turn anticlockwise, reading bottom to top, with the start of the baseline side
    /// at (<paramref name="x"/>, <paramref name="y"/>): the text occupies columns x..x+height and rows y-width..y.
    /// </summary>
    /// <param name="x">Left column of the rotated text.</param>
    /// <param name="y">Bottom row of the rotated text (where the first character is).</param>
    /// <param name="text">The text.</param>
    /// <param name="color">Ink colour.</param>
    /// <param name="scale">Integer magnification.</param>
    public void DrawTextVertical(int x, int y, string text, Rgba color, int scale) =>
        DrawTextCore(x, y, text, color, scale, rotated: true);

    /// <summary>Encodes the canvas as a PNG file (8-bit RGBA).</summary>
    /// <param name="path">The file to write; its directory must exist.</param>
    public void SavePng(string path) => File.WriteAllBytes(path, PngEncoder.Encode(Width, Height, _pixels));

    /// <summary>Encodes the canvas as PNG bytes (8-bit RGBA).</summary>
    /// <returns>The PNG file contents.</returns>
    public byte[] ToPng() => PngEncoder.Encode(Width, Height, _pixels);

    private void DrawTextCore(int x, int y, string text, Rgba color, int scale, bool rotated)
    {
        for (int i = 0; i < text.Length; i++)
        {
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if (!BitmapFont.IsInked(text[i], col, row))
                    {
                        continue;
                    }

                    // Along the text: distance u from the start; across it: v from the top of the glyph.
                    int u = ((i * BitmapFont.Advance) + col) * scale, v = row * scale;
                    if (rotated)
                    {
                        FillRect(x + v, y - u - scale, scale, scale, color);
                    }
                    else
                    {
                        FillRect(x + u, y + v, scale, scale, color);
                    }
                }
            }
        }
    }

    private static void CoverSegment(float[] coverage, int stride, int cx0, int cy0, int cx1, int cy1, double ax, double ay, double bx, double by, double half)
    {
        int left = Math.Max(cx0, (int)Math.Floor(Math.Min(ax, bx) - half - 1));
        int right = Math.Min(cx1 - 1, (int)Math.Ceiling(Math.Max(ax, bx) + half + 1));
        int top = Math.Max(cy0, (int)Math.Floor(Math.Min(ay, by) - half - 1));
        int bottom = Math.Min(cy1 - 1, (int)Math.Ceiling(Math.Max(ay, by) + half + 1));
        double dx = bx - ax, dy = by - ay, lengthSquared = (dx * dx) + (dy * dy);
        for (int row = top; row <= bottom; row++)
        {
            for (int col = left; col <= right; col++)
            {
                // Pixel centre, projected onto the segment and clamped to its ends.
                double px = col + 0.5, py = row + 0.5;
                double t = lengthSquared == 0 ? 0 : Math.Clamp((((px - ax) * dx) + ((py - ay) * dy)) / lengthSquared, 0, 1);
                double ex = px - (ax + (t * dx)), ey = py - (ay + (t * dy));
                double distance = Math.Sqrt((ex * ex) + (ey * ey));

                // A one-pixel ramp centred on the edge approximates the area the stroke covers.
                float c = (float)Math.Clamp(half + 0.5 - distance, 0, 1);
                ref float cell = ref coverage[((row - cy0) * stride) + (col - cx0)];
                cell = Math.Max(cell, c);
            }
        }
    }

    private void Blend(int x, int y, Rgba color, double coverage)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int i = ((y * Width) + x) * 4;
        double alpha = coverage * color.A / 255.0;
        _pixels[i] = Mix(_pixels[i], color.R, alpha);
        _pixels[i + 1] = Mix(_pixels[i + 1], color.G, alpha);
        _pixels[i + 2] = Mix(_pixels[i + 2], color.B, alpha);
        _pixels[i + 3] = (byte)Math.Round(_pixels[i + 3] + ((255 - _pixels[i + 3]) * alpha));
    }

    private static byte Mix(byte under, byte over, double alpha) => (byte)Math.Round(under + ((over - under) * alpha));
}
