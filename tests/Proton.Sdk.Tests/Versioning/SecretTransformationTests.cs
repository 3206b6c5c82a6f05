using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Versioning;

/// <summary>
/// Masking replaces a secret's exact text, so registration refuses templates that render a secret input in any other form
/// (issue #14): each transformation the issue found reaching stored templates is refused, located, and names the input.
/// </summary>
public sealed class SecretTransformationTests
{
    private const string Schema = "pw:\n  type: string\n  format: password\n  default: 'p'\nname:\n  type: string\n  default: demo";

    private static InMemoryBundleSource Bundle(string expression) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment(Schema),
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {{ environment.inputs.name }}\n      Tags:\n        - Key: k\n          Value: '" + expression + "'\n",
    });

    private static async Task<TemplateRegistry> RegistryAsync()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("env", TemplateKind.Environment);
        return registry;
    }

    [Theory]
    [InlineData("{{ environment.inputs.pw|upper }}")]
    [InlineData("{{ environment.inputs.pw|lower }}")]
    [InlineData("{{ environment.inputs.pw[::-1] }}")]
    [InlineData("{{ environment.inputs.pw[1:] }}")]
    [InlineData("{{ environment.inputs.pw|list|join('-') }}")]
    [InlineData("{{ environment.inputs.pw|tojson }}")]
    [InlineData("{{ environment.inputs.pw|length }}")]
    [InlineData("{{ environment.inputs.pw.upper() }}")]
    [InlineData("{{ environment.inputs.pw|replace('a', 'b') }}")]
    [InlineData("{% set p = environment.inputs.pw %}{{ p[::-1] }}")]
    [InlineData("{% for c in environment.inputs.pw %}{{ c }}.{% endfor %}")]
    public async Task TransformedSecret_IsRefusedAndNamed(string expression)
    {
        var registry = await RegistryAsync();

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", Bundle(expression)));

        Assert.Equal(RegistryErrorCodes.SecretTransformed, ex.ErrorCode);
        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((RegistryErrorCodes.SecretTransformed, "infrastructure/cloudformation.yaml"), (d.Code, d.File));
        Assert.Contains("'pw'", d.Message, StringComparison.Ordinal);
        Assert.Empty(await registry.ListVersionsAsync("env"));
    }

    /// <summary>
    /// Uses of a secret that two test values cannot see (the output is the same for both), refused by the static check of the
    /// parsed template at the line of the use: branches on the value, copies, computed keys, dict methods, the inputs object
    /// aliased, iterated, serialized or printed whole. Each of these registered before the static check.
    /// </summary>
    [Theory]
    [InlineData("{% if environment.inputs.pw == 'x' %}a{% endif %}")]
    [InlineData("{% if environment.inputs.pw != 'x' %}a{% endif %}")]
    [InlineData("{% if 'abc' in environment.inputs.pw %}a{% endif %}")]
    [InlineData("{{ 'a' if environment.inputs.pw.startswith('h') else 'b' }}")]
    [InlineData("{{ environment.inputs.pw == 'x' }}")]
    [InlineData("{% if environment.inputs.pw %}set{% endif %}")]
    [InlineData("{% if not environment.inputs.pw %}empty{% endif %}")]
    [InlineData("{{ [environment.inputs.pw, 'b']|join(',') }}")]
    [InlineData("{% for c in environment.inputs.pw if c == 'Z' %}a{% endfor %}")]
    [InlineData("{% set x = environment.inputs.pw %}{% if x|length > 100 %}a{% endif %}")]
    [InlineData("{% set x = environment.inputs.pw %}{{ x }}")]
    [InlineData("{% if environment.inputs['pw'] == 'x' %}a{% endif %}")]
    [InlineData("{% if environment.inputs.get('pw') == 'x' %}a{% endif %}")]
    [InlineData("{{ environment.inputs.get('pw') }}")]
    [InlineData("{% set i = environment.inputs %}{% if i.pw == 'x' %}a{% endif %}")]
    [InlineData("{% set i = environment.inputs %}{{ i.pw|upper }}")]
    [InlineData("{% set e = environment %}{% if e.inputs.pw == 'x' %}a{% endif %}")]
    [InlineData("{% set e = environment %}{% set i = e['inputs'] %}{{ i.pw }}")]
    [InlineData("{% set k = 'pw' %}{% if environment.inputs[k] == 'x' %}a{% endif %}")]
    [InlineData("{% for k in environment.inputs %}{% if environment.inputs[k] == 'x' %}a{% endif %}{% endfor %}")]
    [InlineData("{% for kv in environment.inputs.items() %}{% if kv[1] == 'x' %}a{% endif %}{% endfor %}")]
    [InlineData("{% for v in environment.inputs.values() %}{% if v == 'x' %}a{% endif %}{% endfor %}")]
    [InlineData("{% if 'Zq' in environment.inputs|tojson %}a{% endif %}")]
    [InlineData("{% if 'Zq' in environment|tojson %}a{% endif %}")]
    [InlineData("{{ environment.inputs }}")]
    [InlineData("{% set d = dict(a=environment.inputs) %}{% if d.a.pw == 'x' %}a{% endif %}")]
    [InlineData("{% set l = [environment] %}{% if l[0].inputs.pw == 'x' %}a{% endif %}")]
    [InlineData("{% set e = environment or {} %}{% if e.inputs.pw == 'x' %}a{% endif %}")]
    [InlineData("{% if environment.inputs.pw is string %}a{% endif %}")]
    [InlineData("{% if range(environment.inputs.pw|length)|list|length > 3 %}a{% endif %}")]
    [InlineData("{{ environment.inputs.pw|default('x')|upper }}")]
    [InlineData("{{ 'x'|default(environment.inputs.pw) }}")]
    public async Task SecretReadOtherThanPrinted_IsRefusedAtItsLine(string expression)
    {
        var registry = await RegistryAsync();

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", Bundle(expression)));

        Assert.Equal(RegistryErrorCodes.SecretTransformed, ex.ErrorCode);
        Assert.NotEmpty(ex.Diagnostics);
        Assert.All(ex.Diagnostics, d =>
        {
            Assert.Equal((RegistryErrorCodes.SecretTransformed, "infrastructure/cloudformation.yaml", 8), (d.Code, d.File, d.Line));
            Assert.Contains("'pw'", d.Message, StringComparison.Ordinal);
            Assert.True(d.Column > 0, d.Message);
        });
        Assert.Empty(await registry.ListVersionsAsync("env"));
    }

    [Fact]
    public async Task SecretUse_IsLocatedAtItsOwnLineAndColumn()
    {
        var registry = await RegistryAsync();
        var bundle = new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment(Schema),
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {{ environment.inputs.name }}\n{% if environment.inputs.name == 'demo' %}\n{%   if environment.inputs.pw == 'x' %}\n      DelaySeconds: 5\n{%   endif %}\n{% endif %}\n",
        });

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", bundle));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal(("infrastructure/cloudformation.yaml", 7, 9), (d.File, d.Line, d.Column));
        Assert.Contains("'pw'", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'name'", d.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A flat chain around a secret is refused, not a stack overflow: the check walks operator and filter chains with a loop.
    /// 90,000 terms is what fits the bundle's 200 KB file limit; the check itself is run at 100,000 below.
    /// </summary>
    [Fact]
    public async Task LongOperatorChainOnASecret_IsRefusedWithoutRecursing()
    {
        var registry = await RegistryAsync();
        var chain = "{% if environment.inputs.pw == 1" + string.Concat(Enumerable.Repeat("~1", 90_000)) + " %}a{% endif %}";
        var filters = "{{ environment.inputs.name" + string.Concat(Enumerable.Repeat("|d", 90_000)) + " ~ environment.inputs.pw }}";

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", Bundle(chain)));
        var ex2 = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", Bundle(filters)));

        Assert.Equal(RegistryErrorCodes.SecretTransformed, Assert.Single(ex.Diagnostics).Code);
        Assert.Equal(RegistryErrorCodes.SecretTransformed, Assert.Single(ex2.Diagnostics).Code);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("+")]
    [InlineData("and")]
    [InlineData("|lower")]
    [InlineData(".lower()")]
    public void SecretCheck_FlatChainsOf100000_DoNotRecurse(string link)
    {
        var terms = string.Concat(Enumerable.Repeat(link.StartsWith('|') || link.StartsWith('.') ? link : $" {link} 1", 100_000));
        var source = "{{ environment.inputs.pw" + terms + " }}";
        var body = Proton.Sdk.Rendering.Jinja.JinjaParser.Parse(source, 100);
        var globals = Proton.Sdk.Rendering.Jinja.SecretShape.Map([new("environment", Proton.Sdk.Rendering.Jinja.SecretShape.Map([new("inputs", Proton.Sdk.Rendering.Jinja.SecretShape.Inputs(["pw"]))]))]);

        var uses = Proton.Sdk.Rendering.Jinja.JinjaSecretCheck.Check(body, globals);

        var use = Assert.Single(uses);
        Assert.Equal((1, 4, false), (use.Line, use.Column, use.Whole));
        Assert.Equal(["pw"], use.Inputs);
    }

    [Theory]
    [InlineData("{{ environment.inputs.pw }}")]
    [InlineData("x-{{ environment.inputs.pw }}-{{ environment.inputs['pw'] }}")]
    [InlineData("{{ environment.inputs.pw|default('none') }}")]
    [InlineData("{{ environment.inputs.pw|d('none') }}")]
    [InlineData("{{ environment.inputs.pw|safe }}")]
    [InlineData("{% if environment.inputs.pw is defined %}{{ environment.inputs.pw }}{% endif %}")]
    [InlineData("{% if environment.inputs.pw is not none %}{{ environment.inputs.pw }}{% endif %}")]
    [InlineData("{% set e = environment %}{{ e.inputs.pw }}-{{ e['inputs']['pw'] }}")]
    [InlineData("{% if environment.inputs %}{{ environment.inputs.pw }}{% endif %}")]
    [InlineData("{{ environment.inputs.name|upper }}")]
    [InlineData("{% if environment.inputs.name == 'demo' %}{{ environment.inputs['name'] ~ '-' ~ environment.inputs.name|upper }}{% endif %}")]
    [InlineData("{{ environment.name|upper }}")]
    public async Task SecretRenderedAsItIs_Registers(string expression)
    {
        var registry = await RegistryAsync();

        var result = await registry.RegisterVersionAsync("env", Bundle(expression));

        Assert.Equal("1.0.0", result.Version.Version);
    }

    [Fact]
    public async Task SecretInstanceInput_TransformedInInstanceTemplate_IsRefused()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("svc", TemplateKind.Service);
        var bundle = new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: \"SvcInput\"\n  types:\n    SvcInput:\n      type: object\n      properties:\n        api_key:\n          type: string\n          format: password\n          default: k\n",
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'a{{ service_instance.inputs.api_key[:4] }}'\n",
        });

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("svc", bundle));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((RegistryErrorCodes.SecretTransformed, "instance_infrastructure/cloudformation.yaml"), (d.Code, d.File));
        Assert.Contains("'api_key'", d.Message, StringComparison.Ordinal);
    }

    /// <summary>Without a secret input, the same constructs are not the check's business: every one registers.</summary>
    [Theory]
    [InlineData("{% if environment.inputs.pw == 'x' %}a{% endif %}")]
    [InlineData("{% set i = environment.inputs %}{{ i.pw|upper }}")]
    [InlineData("{% for k in environment.inputs %}{{ environment.inputs[k] }}{% endfor %}")]
    [InlineData("{% for kv in environment.inputs.items() %}{{ kv[0] }}{% endfor %}")]
    [InlineData("{{ environment.inputs|tojson }}")]
    [InlineData("{{ environment.inputs.get('pw')|upper }}")]
    public async Task NoSecretInputs_ConstructsRegister(string expression)
    {
        var registry = await RegistryAsync();
        var bundle = new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment("pw:\n  type: string\n  default: 'p'\nname:\n  type: string\n  default: demo"),
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {{ environment.inputs.name }}\n      Tags:\n        - Key: k\n          Value: '" + expression + "'\n",
        });

        var result = await registry.RegisterVersionAsync("env", bundle);

        Assert.Equal("1.0.0", result.Version.Version);
    }

    private const string ServiceSchema = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: \"SvcInput\"\n  pipeline_input_type: \"PipeInput\"\n  types:\n    SvcInput:\n      type: object\n      properties:\n        api_key:\n          type: string\n          format: password\n          default: k\n        size:\n          type: string\n          default: s\n    PipeInput:\n      type: object\n      properties:\n        token:\n          type: string\n          format: password\n          default: t\n        stage:\n          type: string\n          default: beta\n";

    private static InMemoryBundleSource ServiceBundle(string instanceLine, string pipelineLine) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = ServiceSchema,
        ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'q-" + instanceLine + "'\n",
        ["pipeline_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["pipeline_infrastructure/cloudformation.yaml"] = "Resources:\n  P:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'p-" + pipelineLine + "'\n",
    });

    /// <summary>Instance templates see secrets as service_instance.inputs, pipelines as pipeline.inputs and service_instances[i].inputs.</summary>
    [Theory]
    [InlineData("{% if service_instance.inputs.api_key == 'x' %}a{% endif %}", "x", "instance_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("{% set i = service_instance.inputs %}{{ i.size }}", "x", "instance_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("{% set s = service_instance %}{% if s['inputs'].api_key|length > 1 %}a{% endif %}", "x", "instance_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("x", "{% if pipeline.inputs.token == 'x' %}a{% endif %}", "pipeline_infrastructure/cloudformation.yaml", "token")]
    [InlineData("x", "{% if pipeline.inputs.token.startswith('t') %}a{% endif %}", "pipeline_infrastructure/cloudformation.yaml", "token")]
    [InlineData("x", "{% for si in service_instances %}{% if si.inputs.api_key == 'x' %}a{% endif %}{% endfor %}", "pipeline_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("x", "{% if service_instances[0].inputs.api_key == 'x' %}a{% endif %}", "pipeline_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("x", "{% set first = service_instances|first %}{% if first.inputs.api_key == 'x' %}a{% endif %}", "pipeline_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("x", "{% for si in service_instances %}{% set i = si.inputs %}{% endfor %}", "pipeline_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("x", "{% if 'Zq' in service_instances|tojson %}a{% endif %}", "pipeline_infrastructure/cloudformation.yaml", "api_key")]
    [InlineData("x", "{{ service_instances|join(',') }}", "pipeline_infrastructure/cloudformation.yaml", "api_key")]
    public async Task SecretUse_InEachNamespace_IsRefused(string instanceLine, string pipelineLine, string file, string input)
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("svc", TemplateKind.Service);

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("svc", ServiceBundle(instanceLine, pipelineLine)));

        Assert.Equal(RegistryErrorCodes.SecretTransformed, ex.ErrorCode);
        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((file, 5), (d.File, d.Line));
        Assert.Contains($"'{input}'", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ service_instance.inputs.api_key }}-{{ service_instance.inputs.size|upper }}", "{{ pipeline.inputs.token }}-{{ pipeline.inputs.stage|upper }}")]
    [InlineData("{% set s = service_instance %}{{ s.inputs.api_key }}", "{% for si in service_instances %}{{ si.name }}-{{ si.inputs.size|upper }}-{{ loop.index }}{% endfor %}")]
    [InlineData("{% if service_instance.inputs.size == 's' %}{{ service_instance.inputs.api_key|default('') }}{% endif %}", "{% if service_instances %}{{ service_instances|length }}-{{ (service_instances|first).name }}-{{ service_instances[0].inputs.size }}{% endif %}")]
    public async Task SecretsPrintedAsTheyAre_InEachNamespace_Register(string instanceLine, string pipelineLine)
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("svc", TemplateKind.Service);

        var result = await registry.RegisterVersionAsync("svc", ServiceBundle(instanceLine, pipelineLine), new RegisterVersionOptions { CompatibleEnvironments = [CompatibleEnvironment.TryParse("env:1")!] });

        Assert.Equal("1.0.0", result.Version.Version);
    }
}
