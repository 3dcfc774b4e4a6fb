using System.Globalization;
using Twine.Defer;

namespace Twine.Protocols.Amp;

// Requests and answers whose schema is made of built-in types are written straight into a pooled buffer by an
// AmpBoxWriter and reach the transport in one write, without an AmpBox or an array per value: the per-call path of a
// busy connection. Everything else (custom schemas and types) goes through an AmpBox; both give the same bytes.
public partial class AmpProtocol
{
    private Deferred<TResponse> CallDirect<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, FieldSchema<TArguments> schema, TArguments arguments)
    {
        Span<int> pairs = stackalloc int[AmpBoxWriter.MaxPairs];
        var writer = new AmpBoxWriter(pairs);
        try
        {
            // The tag is taken only once the arguments have been encoded, as on the box path.
            var tag = _lastTag + 1;
            WriteTag(ref writer, tag);
            writer.Add("_command"u8, command.NameBytes);
            try
            {
                using (EnterCodec()) schema.WriteDirect(arguments, ref writer);
            }
            catch (Exception e) when (e is AmpArgumentException or AmpProtocolException or ArgumentException)
            {
                return Deferred.Fail<TResponse>(e);
            }
            _lastTag = tag;
            var call = new PendingCall<TArguments, TResponse>(command);
            // Registered before the write: an answer could only come later, but a failed write must not leave it behind.
            _outstanding.Add(tag, call);
            try
            {
                writer.SendTo(Transport);
            }
            catch
            {
                _outstanding.Remove(tag);
                throw;
            }
            return call.Result;
        }
        finally
        {
            writer.Dispose();
        }
    }

    private void NotifyDirect<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, FieldSchema<TArguments> schema, TArguments arguments)
    {
        Span<int> pairs = stackalloc int[AmpBoxWriter.MaxPairs];
        var writer = new AmpBoxWriter(pairs);
        try
        {
            writer.Add("_command"u8, command.NameBytes);
            using (EnterCodec()) schema.WriteDirect(arguments, ref writer);
            writer.SendTo(Transport);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Writes the answer to <paramref name="ask"/>; false when the response could not be encoded (<paramref name="error"/> says why).</summary>
    private bool TryAnswerDirect<TResponse>(FieldSchema<TResponse> schema, ReadOnlySpan<byte> ask, TResponse response, out Exception? error)
    {
        Span<int> pairs = stackalloc int[AmpBoxWriter.MaxPairs];
        var writer = new AmpBoxWriter(pairs);
        try
        {
            writer.Add("_answer"u8, ask);
            try
            {
                using (EnterCodec()) schema.WriteDirect(response, ref writer);
            }
            catch (Exception e)
            {
                error = e;
                return false;
            }
            writer.SendTo(Transport);
            error = null;
            return true;
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The tag as Twisted writes it (lowercase hex, AMP4), formatted in place.</summary>
    private static void WriteTag(ref AmpBoxWriter writer, ulong tag)
    {
        var destination = writer.Begin("_ask"u8, 16);
        tag.TryFormat(destination, out var written, "x", CultureInfo.InvariantCulture);
        writer.End(written);
    }
}
