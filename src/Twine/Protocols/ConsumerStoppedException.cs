namespace Twine.Protocols;

/// <summary>
/// The consumer stopped a <see cref="FileSender"/> before the file was sent (the connection closed): the transfer's
/// Deferred fails with this (FS1).
/// </summary>
/// <example>
/// <code>
/// sender.BeginFileTransfer(file, transport)
///       .AddErrback(f => { f.Trap&lt;ConsumerStoppedException&gt;(); Console.WriteLine("client went away"); });
/// </code>
/// </example>
public sealed class ConsumerStoppedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsumerStoppedException() : base("Consumer asked us to stop producing") { }
}
