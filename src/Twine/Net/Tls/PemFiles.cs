using System.Security.Cryptography.X509Certificates;

namespace Twine.Net.Tls;

/// <summary>Reads certificates and keys from PEM files, with errors that name the file.</summary>
internal static class PemFiles
{
    /// <summary>
    /// The certificate in <paramref name="certificatePath"/> with the private key in <paramref name="keyPath"/> (or in
    /// the same file when null), usable by a server on every platform.
    /// </summary>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string? keyPath)
    {
        RequireFile(certificatePath, "certificate");
        if (keyPath is not null) RequireFile(keyPath, "private key");
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ArgumentException(
                $"Cannot load a certificate and private key from '{certificatePath}'{(keyPath is null ? "" : $" and '{keyPath}'")}: {e.Message}", e);
        }
    }

    /// <summary>Every certificate in a PEM file, or in the PEM files (*.pem, *.crt) of a directory.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path).Where(f => f.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
                || f.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
                Import(collection, file);
        }
        else
        {
            RequireFile(path, "certificate");
            Import(collection, path);
        }
        if (collection.Count == 0) throw new ArgumentException($"No PEM certificate found in '{path}'.");
        return collection;
    }

    private static void Import(X509Certificate2Collection collection, string file)
    {
        try
        {
            collection.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"Cannot read PEM certificates from '{file}': {e.Message}", e);
        }
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The {what} file '{path}' does not exist.", path);
    }
}
