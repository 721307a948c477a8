namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// A slab's per-step views are made once per run of an array and handed out again while the slab is that run; another run
/// gets its own, and an array of views handed out is never changed.
/// </summary>
public class SlabViewsTests
{
    private static NdArray<float> Slab(float[] buffer, int steps) => new NdArray<float>(buffer, new Shape(buffer.Length)).View(0, new Shape(steps, 2, 3));

    [Fact]
    public void The_same_run_of_the_same_array_gets_the_same_views_and_another_gets_its_own()
    {
        var views = new SlabViews<float>();
        float[] first = Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), second = new float[24];
        var step = new Shape(2, 3);
        var a = views.Of(Slab(first, 4), step);
        Assert.Equal(4, a.Length);
        Assert.Equal([6f, 7f, 8f, 9f, 10f, 11f], a[1].ToArray());
        // A new slab object over the same array (as the pool hands it to the next training step): the same views.
        Assert.Same(a, views.Of(Slab(first, 4), step));
        var b = views.Of(Slab(second, 4), step);
        Assert.NotSame(a, b);
        Assert.Equal([6f, 7f, 8f, 9f, 10f, 11f], a[1].ToArray());
        // A shorter run of the same array is another value.
        Assert.Equal(3, views.Of(Slab(first, 3), step).Length);
        Assert.Same(b, views.Of(Slab(second, 4), step));
    }
}
