using System.Globalization;

namespace MiniNet.Plotting;

/// <summary>An 8-bit-per-channel colour with straight (not premultiplied) alpha.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
/// <param name="A">Opacity, 0 (transparent) ..255 (opaque).</param>
public readonly record struct Rgba(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Opaque white.</summary>
    public static Rgba White => new(255, 255, 255);

    /// <summary>Opaque black.</summary>
    public static Rgba Black => new(0, 0, 0);

    /// <summary>The colour as an SVG/CSS hex string, <c>#rrggbb</c> (alpha is written separately).</summary>
    /// <returns>The hex string.</returns>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>
    /// Colours assigned to series in order: a colour-blind-safe set (blue, orange, green, vermilion, purple, sky,
    /// yellow-brown, grey), dark enough to read on white.
    /// </summary>
    /// <param name="index">The series index; wraps around.</param>
    /// <returns>The colour.</returns>
    public static Rgba Palette(int index) => (index % 8) switch
    {
        0 => new(0, 114, 178),
        1 => new(230, 159, 0),
        2 => new(0, 158, 115),
        3 => new(213, 94, 0),
        4 => new(204, 121, 167),
        5 => new(86, 180, 233),
        6 => new(160, 130, 20),
        _ => new(110, 110, 110),
    };
}
