using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class WarmupCosineScheduleTests
{
    [Fact]
    public void Warms_up_linearly_then_follows_the_cosine_to_the_floor()
    {
        var s = new WarmupCosineSchedule(Peak: 1e-3, Warmup: 10, Total: 110, MinRatio: 0.1);
        Assert.Equal(1e-4, s.At(0), 15);
        Assert.Equal(5e-4, s.At(4), 15);
        Assert.Equal(1e-3, s.At(10), 15);                   // start of the cosine: the peak
        Assert.Equal(0.55e-3, s.At(60), 15);                // half way: the mean of peak and floor
        Assert.Equal(1e-4, s.At(110), 15);                  // the end: the floor
        for (int i = 11; i < 110; i++) Assert.True(s.At(i) < s.At(i - 1));
    }
}
