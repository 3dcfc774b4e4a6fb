namespace Twine.Web.Http;

/// <summary>
/// A message broke HTTP/1.1's syntax or one of the server's limits. <see cref="StatusCode"/> is the status RFC 9110/9112
/// asks for (400 unless the rule says otherwise: 413, 414, 431, 501, 505...). The connection that sent it is closed
/// after the error response, so nothing that follows on it is ever read as a request.
/// </summary>
/// <example>
/// <code>
/// try { parser.Parse(bytes); }
/// catch (HttpParseException e) { Console.WriteLine($"{e.StatusCode}: {e.Message}"); }
/// </code>
/// </example>
public sealed class HttpParseException : Exception
{
    /// <summary>Creates the error with the response status it calls for.</summary>
    public HttpParseException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    /// <summary>The status to answer with: 400, 408, 413, 414, 417, 431, 501 or 505.</summary>
    public int StatusCode { get; }
}
