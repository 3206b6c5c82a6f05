namespace Proton.Sdk.Aws; internal static class Placeholder { }
