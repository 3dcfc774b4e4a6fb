using Twine.Protocols;
using Twine.Time;

namespace Twine.Tests.Protocols;

/// <summary>IdleTimeout, Twisted's TimeoutMixin (TM1–TM3 in docs/behaviours.md), on manual time.</summary>
public sealed class IdleTimeoutTests
{
    [Fact]
    public void TM1_FiresAfterThePeriodWithoutActivity()
    {
        var clock = new Clock();
        int fired = 0;
        using var idle = new IdleTimeout(clock, TimeSpan.FromSeconds(10), () => fired++);
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, fired);
        Assert.True(idle.HasTimedOut);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, fired);   // once
    }

    [Fact]
    public void TM2_ActivityResetsThePeriod()
    {
        var clock = new Clock();
        int fired = 0;
        using var idle = new IdleTimeout(clock, TimeSpan.FromSeconds(10), () => fired++);
        for (int i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(8));
            idle.Reset();
        }
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void TM3_SettingThePeriodRestartsItAndNullOrDisposeDisablesIt()
    {
        var clock = new Clock();
        int fired = 0;
        var idle = new IdleTimeout(clock, TimeSpan.FromSeconds(10), () => fired++);
        clock.Advance(TimeSpan.FromSeconds(5));
        idle.Period = TimeSpan.FromSeconds(20);     // from now: due at 25 s
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(0, fired);
        idle.Period = null;
        idle.Reset();                                // nothing to reset while disabled
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, fired);
        idle.Period = TimeSpan.FromSeconds(1);
        idle.Dispose();
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, fired);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void ANegativePeriodIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdleTimeout(new Clock(), TimeSpan.FromSeconds(-1), () => { }));
    }
}
