using System.Text;
using Consent.Core.Consents;

namespace Consent.Tests.Core;

public class ConsentSubmissionReaderTests
{
    [Fact]
    public void A_body_that_is_not_json_is_answered_with_where_it_breaks_not_with_the_body_repeated()
    {
        var body = Encoding.UTF8.GetBytes("{\"method\":n" + new string('u', 2000) + "}");

        var reading = ConsentSubmissionReader.FromJson(body);

        var message = Assert.Single(reading.Errors["$"]);
        Assert.StartsWith("The body is not valid JSON (line 1, byte ", message);
        Assert.DoesNotContain("uuu", message);
    }
}
