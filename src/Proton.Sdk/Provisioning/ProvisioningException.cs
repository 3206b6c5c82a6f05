namespace Proton.Sdk.Provisioning;

/// <summary>A provisioning operation could not start or its state could not be read (not a failed stack, which is a result).</summary>
/// <param name="errorCode">The stable code (<see cref="ProvisioningErrorCodes"/>).</param>
/// <param name="message">What happened.</param>
/// <param name="innerException">The cause.</param>
public class ProvisioningException(string errorCode, string message, Exception? innerException = null) : ProtonException(errorCode, message, innerException);
