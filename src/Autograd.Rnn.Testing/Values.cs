using System.Numerics;

namespace Autograd.Rnn.Testing;

// Plain value plumbing the checks share: building tensors of any rank, and moving values between element types.
internal static class Values
{
    public static Tensor<T> Build<T>(T[] values, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        shape.Rank == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape.ToArray());

    /// <summary>The same values in another element type (rounded to nearest when narrowing).</summary>
    public static Tensor<TTo> Convert<TFrom, TTo>(Tensor<TFrom> tensor)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom> where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        var source = tensor.ToArray();
        var converted = new TTo[source.Length];
        for (int i = 0; i < source.Length; i++) converted[i] = TTo.CreateChecked(source[i]);
        return Build(converted, tensor.Shape);
    }

    public static Params<TTo> Convert<TFrom, TTo>(Params<TFrom> parameters)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom> where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        var result = Params<TTo>.Empty;
        foreach (var (name, tensor) in parameters) result = result.Add(name, Convert<TFrom, TTo>(tensor));
        return result;
    }

    public static RecurrentState<TTo> Convert<TFrom, TTo>(RecurrentState<TFrom> state)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom> where TTo : unmanaged, IFloatingPointIeee754<TTo> =>
        RecurrentState<TTo>.Of([.. state.Select(Convert<TFrom, TTo>)]);

    public static double[] Doubles<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = tensor.ToArray();
        var result = new double[source.Length];
        for (int i = 0; i < source.Length; i++) result[i] = double.CreateChecked(source[i]);
        return result;
    }

    /// <summary><c>[1,0,2]</c> for flat index <paramref name="flat"/> of <paramref name="shape"/>.</summary>
    public static string Index(int flat, Shape shape)
    {
        var dims = shape.ToArray();
        var index = new int[dims.Length];
        for (int a = dims.Length - 1; a >= 0; a--)
        {
            index[a] = flat % dims[a];
            flat /= dims[a];
        }
        return "[" + string.Join(",", index) + "]";
    }
}
