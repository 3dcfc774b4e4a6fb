using static Twine.Tests.Defer.DeferredAssert;
using Twine.Defer;

namespace Twine.Tests.Defer;

public class TaskInteropTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    // ---- FromTask (F3) ------------------------------------------------------------------------------------------

    [Fact]
    public void F3_FromCompletedTaskFiresAtOnce()
    {
        var d = Deferred.FromTask(Task.FromResult(5), new ManualSynchronizationContext());
        Assert.Equal(5, d.Result.Value);
    }

    [Fact]
    public void F3_FromTaskFiresWhenTheContextRunsTheCompletion()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<string>();
        var d = Deferred.FromTask(source.Task, context);
        source.SetResult("done");

        Assert.False(d.Called); // posted, not run inline on the completing thread
        Assert.Equal(1, context.Pump());
        Assert.Equal("done", d.Result.Value);
    }

    [Fact]
    public async Task F3_TaskCompletedOnAnotherThreadFiresOnThePumpingThread()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<int>();
        var d = Deferred.FromTask(source.Task, context);
        int firedOn = -1;
        _ = d.AddCallback(_ => { firedOn = Environment.CurrentManagedThreadId; });

        await Task.Run(() => source.SetResult(1)).WaitAsync(Generous);
        context.WaitForPost();
        Assert.False(d.Called);
        context.Pump();
        Assert.Equal(Environment.CurrentManagedThreadId, firedOn);
    }

    [Fact]
    public void F3_FromTaskCapturesTheCurrentContextByDefault()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<int>();
        Deferred<int> d;
        using (context.Install()) d = Deferred.FromTask(source.Task);
        source.SetResult(3);
        Assert.False(d.Called);
        context.Pump();
        Assert.Equal(3, d.Result.Value);
    }

    [Fact]
    public void F3_WithNoContextTheCompletingThreadFiresTheDeferred()
    {
        var source = new TaskCompletionSource<int>();
        Deferred<int> d;
        using (ManualSynchronizationContext.None()) d = Deferred.FromTask(source.Task);
        source.SetResult(8); // ExecuteSynchronously: fires inside SetResult
        Assert.Equal(8, d.Result.Value);
    }

    [Fact]
    public void F3_FaultedTaskFailsWithItsException()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<int>();
        var d = Deferred.FromTask(source.Task, context);
        var boom = new InvalidOperationException("boom");
        source.SetException(boom);
        context.Pump();
        Assert.Same(boom, FailureOf(d).Value);
    }

    [Fact]
    public void F3_CancelledTaskFailsWithTheTasksOwnCancellationException()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<int>();
        var d = Deferred.FromTask(source.Task, context);
        source.SetCanceled();
        context.Pump();
        var e = FailureOf(d).Value;
        Assert.IsType<TaskCanceledException>(e); // the task's, not Twine's CancelledException
    }

    [Fact]
    public void F3_CancelledAsyncMethodFailsWithTheExceptionItThrew()
    {
        var thrown = new OperationCanceledException("stopped by the method");
        async Task<int> Stops()
        {
            await Task.Yield();
            throw thrown;
        }

        var context = new ManualSynchronizationContext();
        Task<int> task;
        using (context.Install()) task = Stops();
        Deferred<int> d = Deferred.FromTask(task, context);
        // The method resumes through the context too; pump until the Deferred has fired.
        while (!d.Called)
        {
            if (context.Pending == 0) context.WaitForPost();
            context.Pump();
        }
        Assert.Same(thrown, FailureOf(d).Value);
    }

    [Fact]
    public void F3_FromNonGenericTask()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource();
        var d = Deferred.FromTask((Task)source.Task, context);
        source.SetResult();
        context.Pump();
        Assert.True(d.Result.Succeeded);

        var failing = new TaskCompletionSource();
        var f = Deferred.FromTask((Task)failing.Task, context);
        var boom = new ArgumentException("x");
        failing.SetException(boom);
        context.Pump();
        Assert.Same(boom, FailureOf(f).Value);
    }

    [Fact]
    public void F3_CancellingABareTaskDeferredFailsAtOnceAndIgnoresTheLateResult()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<int>();
        var d = Deferred.FromTask(source.Task, context);
        d.Cancel();
        Assert.IsType<CancelledException>(FailureOf(d).Value);

        source.SetResult(1);
        context.Pump(); // the late result is swallowed, no AlreadyCalled (C3)
        Assert.False(d.IsFailed);
    }

    // ---- FromAsync (F3: cancelling the Deferred cancels the task) -----------------------------------------------

    [Fact]
    public void F3_CancellingFromAsyncCancelsTheTokenAndFailsWithTheTasksException()
    {
        var context = new ManualSynchronizationContext();
        CancellationToken seen = default;
        var source = new TaskCompletionSource<int>();
        var d = Deferred.FromAsync(ct =>
        {
            seen = ct;
            ct.Register(() => source.TrySetCanceled(ct));
            return source.Task;
        }, context);

        Assert.False(seen.IsCancellationRequested);
        d.Cancel();
        Assert.True(seen.IsCancellationRequested);
        Assert.False(d.Called); // waits for the task's own outcome
        context.Pump();
        var e = Assert.IsType<TaskCanceledException>(FailureOf(d).Value);
        Assert.Equal(seen, e.CancellationToken);
    }

    [Fact]
    public void F3_FromAsyncTaskThatIgnoresTheTokenDecidesTheResult()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource<string>();
        var d = Deferred.FromAsync(_ => source.Task, context);
        d.Cancel();
        Assert.False(d.Called);
        source.SetResult("finished anyway");
        context.Pump();
        Assert.Equal("finished anyway", d.Result.Value);
    }

    [Fact]
    public void F3_FromAsyncThatThrowsSynchronouslyFails()
    {
        var boom = new InvalidOperationException("sync");
        var d = Deferred.FromAsync<int>(_ => throw boom, new ManualSynchronizationContext());
        Assert.Same(boom, FailureOf(d).Value);
    }

    [Fact]
    public void F3_FromAsyncWithoutValue()
    {
        var context = new ManualSynchronizationContext();
        var source = new TaskCompletionSource();
        var d = Deferred.FromAsync(ct => { ct.Register(() => source.TrySetCanceled(ct)); return (Task)source.Task; }, context);
        d.Cancel();
        context.Pump();
        Assert.IsType<TaskCanceledException>(FailureOf(d).Value);
    }

    [Fact]
    public void F3_CancellingAFiredFromAsyncDoesNotCancelTheToken()
    {
        CancellationToken seen = default;
        var d = Deferred.FromAsync(ct => { seen = ct; return Task.FromResult(1); }, new ManualSynchronizationContext());
        d.Cancel();
        Assert.False(seen.IsCancellationRequested);
        Assert.Equal(1, d.Result.Value);
    }

    // ---- AsTask (F1, F2) ----------------------------------------------------------------------------------------

    [Fact]
    public async Task F1_AsTaskCompletesWithTheValueAndConsumesIt()
    {
        var d = new Deferred<string>();
        var task = d.AsTask();
        Assert.False(task.IsCompleted);
        d.Callback("value");
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal("value", await task);
        Assert.Null(d.Result.Value); // consumed: the Deferred is left holding default
    }

    [Fact]
    public async Task F1_AsTaskOfAFailureFaultsWithTheOriginalExceptionAndConsumesIt()
    {
        var boom = new InvalidOperationException("boom");
        var d = Deferred.Fail<int>(boom);
        var task = d.AsTask();
        Assert.True(task.IsFaulted);
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => task));
        Assert.False(d.IsFailed); // the failure now belongs to the task
        Assert.Equal(0, d.Result.Value);
    }

    [Fact]
    public async Task F1_AsTaskOfACancelledDeferredThrowsCancelledException()
    {
        var d = new Deferred<int>();
        var task = d.AsTask();
        d.Cancel();
        await Assert.ThrowsAsync<CancelledException>(() => task);
    }

    [Fact]
    public async Task F1_AsTaskOfAnUntypedDeferred()
    {
        var gate = new Deferred<int>();
        async Deferred Work() => await gate;
        var work = Work();
        var task = work.AsTask();
        Assert.False(task.IsCompleted);
        gate.Callback(1);
        await task;
        Assert.True(task.IsCompletedSuccessfully);

        var boom = new ArgumentException("untyped");
        Deferred failing = Deferred.Fail<string>(boom);
        Assert.Same(boom, await Assert.ThrowsAsync<ArgumentException>(() => failing.AsTask()));
        Assert.False(failing.IsFailed); // consumed
    }

    [Fact]
    public void F2_CancellingTheTokenCancelsTheTaskAndTheDeferred()
    {
        var context = new ManualSynchronizationContext();
        int cancels = 0;
        var d = new Deferred<int>(_ => cancels++);
        using var cts = new CancellationTokenSource();
        var task = d.AsTask(cts.Token, context);

        cts.Cancel();
        Assert.True(task.IsCanceled); // at once
        Assert.Equal(0, cancels);     // the Deferred is cancelled on its owner's thread
        context.Pump();
        Assert.Equal(1, cancels);
        Assert.True(d.Called);
        Assert.False(d.IsFailed); // its CancelledException was consumed by the bridge
    }

    [Fact]
    public void F2_TaskStaysCancelledWhenTheCancellerSucceeds()
    {
        var context = new ManualSynchronizationContext();
        var d = new Deferred<string>(x => x.Callback("canceller's value"));
        using var cts = new CancellationTokenSource();
        var task = d.AsTask(cts.Token, context);
        cts.Cancel();
        context.Pump();

        Assert.True(task.IsCanceled);
        Assert.Equal(cts.Token, Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult()).CancellationToken);
        Assert.Null(d.Result.Value); // the Deferred ends with default
    }

    [Fact]
    public void F2_AlreadyCancelledTokenCancelsAtOnce()
    {
        int cancels = 0;
        var d = new Deferred<int>(_ => cancels++);
        var task = d.AsTask(new CancellationToken(canceled: true), new ManualSynchronizationContext());
        Assert.True(task.IsCanceled);
        Assert.Equal(1, cancels);
    }

    [Fact]
    public async Task F2_CancellingAfterDeliveryChangesNothing()
    {
        var context = new ManualSynchronizationContext();
        int cancels = 0;
        var d = new Deferred<int>(_ => cancels++);
        using var cts = new CancellationTokenSource();
        var task = d.AsTask(cts.Token, context);
        d.Callback(4);
        cts.Cancel();
        context.Pump();
        Assert.Equal(4, await task);
        Assert.Equal(0, cancels);
    }

    [Fact]
    public async Task F2_TokenCancelledOnAnotherThreadCancelsTheDeferredOnThePumpingThread()
    {
        var context = new ManualSynchronizationContext();
        int cancelledOn = -1;
        var d = new Deferred<int>(_ => cancelledOn = Environment.CurrentManagedThreadId);
        using var cts = new CancellationTokenSource();
        var task = d.AsTask(cts.Token, context);

        await Task.Run(cts.Cancel).WaitAsync(Generous);
        Assert.True(task.IsCanceled);
        context.WaitForPost();
        context.Pump();
        Assert.Equal(Environment.CurrentManagedThreadId, cancelledOn);
    }

    [Fact]
    public void F2_CancellingTheTokenOfAnUntypedAsTask()
    {
        var context = new ManualSynchronizationContext();
        var gate = new Deferred<int>();
        async Deferred Work() => await gate;
        var work = Work();
        using var cts = new CancellationTokenSource();
        var task = work.AsTask(cts.Token, context);
        cts.Cancel();
        context.Pump(); // cancels work, which cancels the awaited gate (IC7)
        Assert.True(task.IsCanceled);
        Assert.True(gate.Called);
        Assert.True(work.Called);
    }

    [Fact]
    public async Task F1_AsTaskContinuationsDoNotRunInsideTheCallbackChain()
    {
        var d = new Deferred<int>();
        var task = d.AsTask();
        bool continuationRanInline = false;
        bool inCallback = false;
        int firingThread = Environment.CurrentManagedThreadId;
        // Inline means on the firing thread while the callback runs: a pool thread may legitimately run the
        // continuation during that window on a loaded machine, and that is not inline.
        var observed = task.ContinueWith(_ => continuationRanInline = inCallback && Environment.CurrentManagedThreadId == firingThread,
            TaskContinuationOptions.ExecuteSynchronously);
        inCallback = true;
        d.Callback(1);
        inCallback = false;
        await observed.WaitAsync(Generous);
        Assert.False(continuationRanInline);
    }
}
