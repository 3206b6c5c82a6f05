namespace Proton.Sdk.Api;

/// <summary>Options of the Proton API (<c>MapProtonApi</c>): who may call it and what its ARNs say.</summary>
public sealed class ProtonApiOptions
{
    /// <summary>
    /// The access keys that may call the API: access key id to secret access key. Requests must be SigV4-signed with one
    /// of them; with none configured every request is refused. Empty by default. Secrets never appear in errors or logs.
    /// </summary>
    public IDictionary<string, string> Credentials { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The region in ARNs and the region a signature's scope must name; <c>us-east-1</c> by default.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account id in ARNs; <c>123456789012</c> by default.</summary>
    public string AccountId { get; set; } = "123456789012";

    /// <summary>
    /// Lets the host start with no <see cref="Credentials"/> (then every request is refused); false by default, when a
    /// host without credentials fails to start (<c>ProtonApi:AllowNoCredentials</c>).
    /// </summary>
    public bool AllowNoCredentials { get; set; }

    /// <summary>
    /// How far a request's <c>X-Amz-Date</c> may be from the host's clock; 15 minutes by default, as AWS allows. Must be
    /// positive and at most 1 hour (<c>ProtonApi:MaxClockSkew</c>, as <c>00:05:00</c>).
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The largest request body accepted, in bytes; 1 MiB by default. A larger body is refused with HTTP 413
    /// (<c>ValidationException</c>) without being read past the limit; a <c>Content-Length</c> over it, without being read.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest page a list operation returns when <c>maxResults</c> is not given; 100 by default, 1 to 100.</summary>
    public int DefaultPageSize { get; set; } = 100;
}
