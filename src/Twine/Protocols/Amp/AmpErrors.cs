using System.Collections;

namespace Twine.Protocols.Amp;

/// <summary>
/// The errors a command declares, in order: each exception type with the code it travels as and how to rebuild it
/// from the description on the caller's side (AMP5, AMP6). A responder's exception is matched against the entries in
/// order (an entry also matches subclasses), as Twisted's <c>errors</c> dictionary is. The description sent is the
/// exception's <see cref="Exception.Message"/>, as Twisted sends <c>str(exception)</c>.
/// </summary>
/// <example>
/// <code>
/// var command = new AmpCommand&lt;DivideArgs, Quotient&gt;("Divide", args, response)
/// {
///     Errors = { { "ZERO_DIVISION", message => new DivideByZeroException(message) } },
/// };
/// </code>
/// </example>
public sealed class AmpErrors : IEnumerable<AmpErrorDeclaration>
{
    private readonly List<AmpErrorDeclaration> _declarations = [];

    /// <summary>How many errors are declared.</summary>
    public int Count => _declarations.Count;

    /// <summary>
    /// Declares that <typeparamref name="TException"/> (or a subclass) travels as <paramref name="code"/>, and is made
    /// again on the caller's side by <paramref name="create"/> from the description (the exception's message).
    /// </summary>
    /// <exception cref="ArgumentException">The code is empty, too long, one of AMP's own codes, or already declared.</exception>
    public void Add<TException>(string code, Func<string, TException> create) where TException : Exception
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(create);
        if (code is AmpKeys.UnknownErrorCode or AmpKeys.UnhandledErrorCode)
            throw new ArgumentException($"'{code}' is AMP's own error code and cannot be declared.", nameof(code));
        if (code.Length > AmpBox.MaxValueLength || code.Any(c => c > '\u00FF'))
            throw new ArgumentException("An error code is a byte string of at most 65535 bytes.", nameof(code));
        if (_declarations.Any(d => d.Code == code))
            throw new ArgumentException($"The error code '{code}' is declared twice.", nameof(code));
        _declarations.Add(new AmpErrorDeclaration(code, typeof(TException), static e => e is TException, create));
    }

    /// <summary>The first declaration matching <paramref name="exception"/>, or null.</summary>
    internal AmpErrorDeclaration? Match(Exception exception)
    {
        foreach (var declaration in _declarations)
            if (declaration.Matches(exception)) return declaration;
        return null;
    }

    /// <summary>The declaration for <paramref name="code"/>, or null.</summary>
    internal AmpErrorDeclaration? ForCode(string code)
    {
        foreach (var declaration in _declarations)
            if (declaration.Code == code) return declaration;
        return null;
    }

    /// <inheritdoc />
    public IEnumerator<AmpErrorDeclaration> GetEnumerator() => _declarations.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One declared error: its code, the exception type, and how to rebuild the exception from a description.</summary>
/// <example>
/// <code>
/// foreach (var error in command.Errors) Console.WriteLine($"{error.Code}: {error.ExceptionType.Name}");
/// </code>
/// </example>
public sealed class AmpErrorDeclaration
{
    private readonly Func<Exception, bool> _matches;
    private readonly Func<string, Exception> _create;

    internal AmpErrorDeclaration(string code, Type exceptionType, Func<Exception, bool> matches, Func<string, Exception> create)
    {
        Code = code;
        ExceptionType = exceptionType;
        _matches = matches;
        _create = create;
    }

    /// <summary>The code on the wire.</summary>
    public string Code { get; }

    /// <summary>The declared exception type (for documentation and diagnostics).</summary>
    public Type ExceptionType { get; }

    internal bool Matches(Exception exception) => _matches(exception);

    internal Exception Create(string description) => _create(description);
}
