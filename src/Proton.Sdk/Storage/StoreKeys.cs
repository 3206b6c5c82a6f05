using System.Security.Cryptography;

namespace Proton.Sdk.Storage;

/// <summary>
/// The naming rules every <see cref="IProtonStore"/> applies, public so that a store written outside this package
/// (a database, a cloud store) accepts and refuses exactly the same collections, keys and blob hashes.
/// </summary>
public static class StoreKeys
{
    /// <summary>The longest collection name or key.</summary>
    public const int MaxLength = 400;

    /// <summary>The SHA-256 of some bytes in lowercase hex: the address of a blob.</summary>
    /// <param name="content">The bytes.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public static string ContentHash(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>True when <paramref name="value"/> is a valid collection name or key: 1 to <see cref="MaxLength"/> characters, ASCII letters, digits, '-', '_', '.', '@', '+', not starting with '.'.</summary>
    /// <param name="value">The name.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValidName(string? value)
        => !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.StartsWith('.')
           && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '+');

    /// <summary>Throws when <paramref name="value"/> is not a valid collection name or key (see <see cref="IsValidName"/>).</summary>
    /// <param name="value">The name.</param>
    /// <param name="paramName">The parameter it came from (<c>collection</c> or <c>key</c>).</param>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static void ValidateName(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        if (!IsValidName(value))
        {
            var shown = value.Length > 64 ? value[..64] + "..." : value;
            throw new ArgumentException($"'{shown}' is not a valid store {paramName}: 1 to {MaxLength} of letters, digits, '-', '_', '.', '@', '+', not starting with '.'.", paramName);
        }
    }

    /// <summary>True when <paramref name="hash"/> is a SHA-256 in lowercase hex.</summary>
    /// <param name="hash">The text.</param>
    /// <returns>Whether it is one.</returns>
    public static bool IsValidHash(string? hash) => hash is { Length: 64 } && hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Throws when <paramref name="hash"/> is not a SHA-256 in lowercase hex.</summary>
    /// <param name="hash">The text.</param>
    /// <exception cref="ArgumentException">It is not one.</exception>
    public static void ValidateHash(string hash)
    {
        if (!IsValidHash(hash))
        {
            throw new ArgumentException($"'{hash}' is not a SHA-256 in lowercase hex.", nameof(hash));
        }
    }
}
