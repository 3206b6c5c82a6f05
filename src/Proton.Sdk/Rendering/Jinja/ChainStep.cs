using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>One step of a flattened chain: a function applied to the running value and <see cref="ArgCount"/> more arguments.</summary>
/// <param name="Function">The operation (a filter, a test, a call, a subscript, a binary operator, ...).</param>
/// <param name="ArgCount">How many arguments of the chain call belong to this step.</param>
/// <param name="Caller">A node with the step's own location, for its errors.</param>
internal sealed record ChainStep(JinjaFunction Function, int ArgCount, ScriptNode Caller);
