namespace Proton.Sdk;

/// <summary>The base of every error that Proton.Sdk raises on purpose. <see cref="ErrorCode"/> is stable across versions.</summary>
public class ProtonException : Exception
{
    /// <summary>Creates an exception with a stable error code and a message.</summary>
    /// <param name="errorCode">A stable, dotted error code such as <c>bundle.invalid</c>.</param>
    /// <param name="message">A message a developer understands.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public ProtonException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>A stable, dotted error code such as <c>bundle.invalid</c> or <c>render.undefined</c>.</summary>
    public string ErrorCode { get; }
}
