namespace Twine.Protocols.Amp;

/// <summary>The reserved keys of an AMP box and the error codes AMP itself uses (AMP3, AMP5).</summary>
/// <example>
/// <code>
/// if (box.ContainsKey(AmpKeys.Answer)) { /* a reply */ }
/// </code>
/// </example>
public static class AmpKeys
{
    /// <summary>The command's name, in a request.</summary>
    public const string Command = "_command";

    /// <summary>The question's tag, in a request that wants an answer.</summary>
    public const string Ask = "_ask";

    /// <summary>The tag of the question a successful reply answers.</summary>
    public const string Answer = "_answer";

    /// <summary>The tag of the question an error reply answers.</summary>
    public const string Error = "_error";

    /// <summary>The error's code, in an error reply.</summary>
    public const string ErrorCode = "_error_code";

    /// <summary>The error's description (UTF-8), in an error reply.</summary>
    public const string ErrorDescription = "_error_description";

    /// <summary>The code for an error the responder did not declare (description "Unknown Error"); the connection is then closed.</summary>
    public const string UnknownErrorCode = "UNKNOWN";

    /// <summary>The code for a command the peer has no responder for.</summary>
    public const string UnhandledErrorCode = "UNHANDLED";
}
