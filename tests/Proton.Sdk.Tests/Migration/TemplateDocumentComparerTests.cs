using Proton.Sdk.Migration;

namespace Proton.Sdk.Tests.Migration;

/// <summary>Deployed and rendered templates compare as documents: short tags and long forms, JSON and YAML, key order and quoting do not matter; real changes are named by resource and property.</summary>
public sealed class TemplateDocumentComparerTests
{
    private const string Yaml = """
        AWSTemplateFormatVersion: '2010-09-09'
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub '${AWS::StackName}-data'
              VersioningConfiguration:
                Status: Enabled
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              DelaySeconds: 5
              Tags:
                - Key: owner
                  Value: !GetAtt Bucket.Arn
        Outputs:
          BucketName:
            Value: !Ref Bucket
        """;

    [Fact]
    public void Compare_JsonLongFormReorderedAndQuoted_EqualsYamlShortForm()
    {
        const string json = """
            {"Outputs": {"BucketName": {"Value": {"Ref": "Bucket"}}},
             "Resources": {
               "Queue": {"Properties": {"Tags": [{"Value": {"Fn::GetAtt": ["Bucket", "Arn"]}, "Key": "owner"}], "DelaySeconds": "5"}, "Type": "AWS::SQS::Queue"},
               "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}, "BucketName": {"Fn::Sub": "${AWS::StackName}-data"}}}},
             "AWSTemplateFormatVersion": "2010-09-09"}
            """;

        Assert.Empty(TemplateDocumentComparer.Compare(Yaml, json));
        Assert.Empty(TemplateDocumentComparer.Compare(json, Yaml));
    }

    [Fact]
    public void Compare_NamesChangedAddedAndRemovedProperties()
    {
        var rendered = Yaml.Replace("Status: Enabled", "Status: Suspended", StringComparison.Ordinal)
            .Replace("DelaySeconds: 5", "DelaySeconds: 5\n      MessageRetentionPeriod: 60", StringComparison.Ordinal)
            .Replace("Outputs:\n  BucketName:\n    Value: !Ref Bucket", "Outputs: {}", StringComparison.Ordinal);

        var diffs = TemplateDocumentComparer.Compare(Yaml, rendered);

        Assert.Equal(
            ["~ Resources.Bucket.Properties.VersioningConfiguration.Status: \"Enabled\" -> \"Suspended\"", "+ Resources.Queue.Properties.MessageRetentionPeriod: 60", "- Outputs.BucketName: {\"Value\":{\"Ref\":\"Bucket\"}}"],
            diffs.Select(d => d.ToString()));
        var text = TemplateDocumentComparer.Describe(diffs, Yaml);
        Assert.Contains("Resources.Bucket (AWS::S3::Bucket)\n  ~ Properties.VersioningConfiguration.Status", text, StringComparison.Ordinal);
        Assert.Contains("Resources.Queue (AWS::SQS::Queue)\n  + Properties.MessageRetentionPeriod: 60", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_DifferentIntrinsic_IsAChange()
    {
        var diffs = TemplateDocumentComparer.Compare(Yaml, Yaml.Replace("!GetAtt Bucket.Arn", "!GetAtt Bucket.DomainName", StringComparison.Ordinal));

        var d = Assert.Single(diffs);
        Assert.Equal("Resources.Queue.Properties.Tags[0].Value.Fn::GetAtt[1]", d.Path);
        Assert.Equal(TemplateDifferenceKind.Changed, d.Kind);
    }

    [Fact]
    public void Compare_NotYaml_ThrowsATypedErrorNamingTheSide()
    {
        var ex = Assert.Throws<ProtonValidationException>(() => TemplateDocumentComparer.Compare(Yaml, "Resources: [unclosed"));
        Assert.Equal("rendered", ex.Diagnostics[0].File);
    }
}
