namespace Twine.Defer;

// Promise.All / Race / Any / AllSettled. The combined promise runs its handlers on the scheduler given explicitly,
// else on the DefaultScheduler, else on the first input's. Each input is watched by a small synchronous reaction
// (library bookkeeping, no user code), so the combined promise settles as soon as the deciding input does; its own
// handlers are still asynchronous. Watching an input counts as handling its rejection.
public static partial class Promise
{
    /// <summary>
    /// Fulfils with every input's value, in input order, once all have fulfilled; rejects with the first rejection's
    /// <see cref="Failure"/> as soon as it happens. No inputs: fulfils with an empty array.
    /// </summary>
    /// <example><code>Promise.All(GetUser(1), GetUser(2)).Then(users => Show(users));</code></example>
    public static Promise<T[]> All<T>(params Promise<T>[] promises) => All((IEnumerable<Promise<T>>)promises);

    /// <summary>As <see cref="All{T}(Promise{T}[])"/>.</summary>
    public static Promise<T[]> All<T>(IEnumerable<Promise<T>> promises, ICallSoon? scheduler = null)
    {
        var inputs = Inputs(promises);
        var result = new Promise<T[]>(CombinedScheduler(scheduler, inputs));
        if (inputs.Length == 0)
        {
            result.TryFulfill([]);
            return result;
        }
        var state = new AllState<T>(result, inputs.Length);
        for (int i = 0; i < inputs.Length; i++) inputs[i].Subscribe(new AllReaction<T>(state, i));
        return result;
    }

    /// <summary>Settles like the first input to settle, fulfilled or rejected. No inputs: stays pending forever (as in JavaScript).</summary>
    public static Promise<T> Race<T>(params Promise<T>[] promises) => Race((IEnumerable<Promise<T>>)promises);

    /// <summary>As <see cref="Race{T}(Promise{T}[])"/>.</summary>
    public static Promise<T> Race<T>(IEnumerable<Promise<T>> promises, ICallSoon? scheduler = null)
    {
        var inputs = Inputs(promises);
        var result = new Promise<T>(CombinedScheduler(scheduler, inputs));
        var reaction = new RaceReaction<T>(result);
        foreach (var input in inputs) input.Subscribe(reaction);
        return result;
    }

    /// <summary>
    /// Fulfils with the first input to fulfil. When every input rejects, rejects with an
    /// <see cref="AggregateException"/> holding their exceptions in input order. No inputs: rejects at once.
    /// </summary>
    public static Promise<T> Any<T>(params Promise<T>[] promises) => Any((IEnumerable<Promise<T>>)promises);

    /// <summary>As <see cref="Any{T}(Promise{T}[])"/>.</summary>
    public static Promise<T> Any<T>(IEnumerable<Promise<T>> promises, ICallSoon? scheduler = null)
    {
        var inputs = Inputs(promises);
        var result = new Promise<T>(CombinedScheduler(scheduler, inputs));
        if (inputs.Length == 0)
        {
            result.TryReject(new Failure(new AggregateException("Promise.Any was given no promises, so none can fulfil.")));
            return result;
        }
        var state = new AnyState<T>(result, inputs.Length);
        for (int i = 0; i < inputs.Length; i++) inputs[i].Subscribe(new AnyReaction<T>(state, i));
        return result;
    }

    /// <summary>
    /// Fulfils, once every input has settled, with each input's <see cref="Outcome{T}"/> in input order; never
    /// rejects. No inputs: fulfils with an empty array.
    /// </summary>
    public static Promise<Outcome<T>[]> AllSettled<T>(params Promise<T>[] promises) => AllSettled((IEnumerable<Promise<T>>)promises);

    /// <summary>As <see cref="AllSettled{T}(Promise{T}[])"/>.</summary>
    public static Promise<Outcome<T>[]> AllSettled<T>(IEnumerable<Promise<T>> promises, ICallSoon? scheduler = null)
    {
        var inputs = Inputs(promises);
        var result = new Promise<Outcome<T>[]>(CombinedScheduler(scheduler, inputs));
        if (inputs.Length == 0)
        {
            result.TryFulfill([]);
            return result;
        }
        var state = new AllSettledState<T>(result, inputs.Length);
        for (int i = 0; i < inputs.Length; i++) inputs[i].Subscribe(new AllSettledReaction<T>(state, i));
        return result;
    }

    private static Promise<T>[] Inputs<T>(IEnumerable<Promise<T>> promises)
    {
        ArgumentNullException.ThrowIfNull(promises);
        var inputs = promises.ToArray();
        foreach (var p in inputs)
        {
            if (p is null) throw new ArgumentException("The promises must not contain null.", nameof(promises));
        }
        return inputs;
    }

    private static ICallSoon CombinedScheduler<T>(ICallSoon? scheduler, Promise<T>[] inputs) =>
        scheduler ?? t_defaultScheduler ?? (inputs.Length > 0 ? inputs[0].Scheduler : RequireScheduler(null));

    private sealed class AllState<T>(Promise<T[]> result, int count)
    {
        public readonly Promise<T[]> Result = result;
        public readonly T[] Values = new T[count];
        public int Remaining = count;
    }

    private sealed class AllReaction<T>(AllState<T> state, int index) : PromiseReaction<T>
    {
        internal override void OnSettled(Promise<T> source)
        {
            if (source.Reason is { } reason)
            {
                state.Result.TryReject(reason);
                return;
            }
            state.Values[index] = source.Value;
            if (--state.Remaining == 0) state.Result.TryFulfill(state.Values);
        }
    }

    private sealed class RaceReaction<T>(Promise<T> result) : PromiseReaction<T>
    {
        internal override void OnSettled(Promise<T> source) => result.SettleFrom(source);
    }

    private sealed class AnyState<T>(Promise<T> result, int count)
    {
        public readonly Promise<T> Result = result;
        public readonly Exception[] Errors = new Exception[count];
        public int Remaining = count;
    }

    private sealed class AnyReaction<T>(AnyState<T> state, int index) : PromiseReaction<T>
    {
        internal override void OnSettled(Promise<T> source)
        {
            if (source.Reason is not { } reason)
            {
                state.Result.TryFulfill(source.Value);
                return;
            }
            state.Errors[index] = reason.Value;
            if (--state.Remaining == 0)
                state.Result.TryReject(new Failure(new AggregateException("Every promise given to Promise.Any was rejected.", state.Errors)));
        }
    }

    private sealed class AllSettledState<T>(Promise<Outcome<T>[]> result, int count)
    {
        public readonly Promise<Outcome<T>[]> Result = result;
        public readonly Outcome<T>[] Outcomes = new Outcome<T>[count];
        public int Remaining = count;
    }

    private sealed class AllSettledReaction<T>(AllSettledState<T> state, int index) : PromiseReaction<T>
    {
        internal override void OnSettled(Promise<T> source)
        {
            state.Outcomes[index] = source.Reason is { } reason ? new Outcome<T>(reason) : new Outcome<T>(source.Value);
            if (--state.Remaining == 0) state.Result.TryFulfill(state.Outcomes);
        }
    }
}
