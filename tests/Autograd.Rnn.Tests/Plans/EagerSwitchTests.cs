using Autograd.Rnn.TestSupport;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>The process-wide eager switch (Compile.EagerSwitch), as CI's eager run sets it.</summary>
public class EagerSwitchTests
{
    [Fact]
    public async Task The_eager_switch_turns_plans_off_on_every_thread_exactly_when_the_run_asks_for_it()
    {
        bool onTestThread = Compile.IsEager;
        bool onOtherThread = await Task.Run(() => Compile.IsEager);
        Assert.Equal(EagerRun.Requested, onTestThread);
        Assert.Equal(EagerRun.Requested, onOtherThread);
    }

    [Fact]
    public void Under_the_eager_switch_an_eager_scope_still_opens_and_closes()
    {
        using (Compile.Eagerly()) Assert.True(Compile.IsEager);
        Assert.Equal(EagerRun.Requested, Compile.IsEager);
    }
}
