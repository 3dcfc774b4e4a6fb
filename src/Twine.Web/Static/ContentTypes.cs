namespace Twine.Web.Static;

/// <summary>Content types by file extension, for <see cref="File"/>.</summary>
/// <example>
/// <code>
/// string type = ContentTypes.For("index.html");   // "text/html"
/// </code>
/// </example>
public static class ContentTypes
{
    /// <summary>The type sent for an unknown extension.</summary>
    public const string Default = "application/octet-stream";

    private static readonly Dictionary<string, string> s_byExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html", [".htm"] = "text/html", [".css"] = "text/css", [".js"] = "text/javascript",
        [".mjs"] = "text/javascript", [".json"] = "application/json", [".txt"] = "text/plain", [".md"] = "text/markdown",
        [".csv"] = "text/csv", [".xml"] = "application/xml", [".svg"] = "image/svg+xml", [".png"] = "image/png",
        [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif", [".webp"] = "image/webp",
        [".ico"] = "image/vnd.microsoft.icon", [".avif"] = "image/avif", [".pdf"] = "application/pdf",
        [".zip"] = "application/zip", [".gz"] = "application/gzip", [".tar"] = "application/x-tar",
        [".wasm"] = "application/wasm", [".mp4"] = "video/mp4", [".webm"] = "video/webm", [".mp3"] = "audio/mpeg",
        [".ogg"] = "audio/ogg", [".wav"] = "audio/wav", [".woff"] = "font/woff", [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf", [".otf"] = "font/otf",
    };

    /// <summary>The content type for <paramref name="fileName"/>'s extension, or <see cref="Default"/>.</summary>
    public static string For(string fileName) =>
        s_byExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : Default;
}
