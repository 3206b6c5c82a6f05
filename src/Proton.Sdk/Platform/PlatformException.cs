using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>An error of the platform; <see cref="ProtonException.ErrorCode"/> says which rule (<c>platform.conflict</c>, ...).</summary>
/// <param name="errorCode">The stable code.</param>
/// <param name="message">What happened and what would do.</param>
public sealed class PlatformException(string errorCode, string message) : ProtonException(errorCode, message);
