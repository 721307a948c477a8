using System.Globalization;
using System.Numerics;
using System.Text;

namespace Autograd.Rnn;

/// <summary>Formats a value compactly: shape first, then nested brackets, eliding the middle of long dimensions.</summary>
internal static class TensorFormatter
{
    private const int FullPrintLimit = 100; // elements printed in full before eliding
    private const int EdgeItems = 3;        // elements kept at each end of an elided dimension

    public static string Format<T>(NdArray<T> value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var builder = new StringBuilder();
        builder.Append("Tensor").Append(value.Shape).Append(' ');
        bool elide = value.Size > FullPrintLimit;
        AppendDimension(builder, value.Span, value.Shape, 0, 0, elide);
        return builder.ToString();
    }

    private static void AppendDimension<T>(StringBuilder builder, ReadOnlySpan<T> data, Shape shape, int axis, int offset, bool elide)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (axis == shape.Rank)
        {
            builder.Append(data[offset].ToString("G6", CultureInfo.InvariantCulture));
            return;
        }
        int length = shape.Span[axis];
        int stride = shape.Product(axis + 1, shape.Rank);
        builder.Append('[');
        for (int i = 0; i < length; i++)
        {
            if (elide && length > 2 * EdgeItems && i == EdgeItems)
            {
                builder.Append("..., ");
                i = length - EdgeItems - 1;
                continue;
            }
            AppendDimension(builder, data, shape, axis + 1, offset + i * stride, elide);
            if (i < length - 1) builder.Append(", ");
        }
        builder.Append(']');
    }
}
