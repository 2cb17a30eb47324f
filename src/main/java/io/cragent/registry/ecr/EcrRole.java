package io.cragent.registry.ecr;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The role an ECR request works under, from {@code CR_CREDENTIALS}: checked before any AWS call, since the region
 * becomes part of host names and the ARN names the account whose registry is used.
 *
 * @param externalId null when the credentials carry none (then AssumeRole is sent without one)
 */
public record EcrRole(String roleArn, String externalId, String region) {
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:(?<partition>aws|aws-cn|aws-us-gov):iam::(?<account>\\d{12}):role/[\\w+=,.@/-]{1,512}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    public static EcrRole of(RegistryCredentials credentials) {
        String arn = credentials.roleArn() == null ? "" : credentials.roleArn().trim();
        String region = credentials.region() == null ? "" : credentials.region().trim();
        String externalId = credentials.externalId() == null || credentials.externalId().isBlank()
                ? null : credentials.externalId().trim();
        if (!ROLE_ARN.matcher(arn).matches()) {
            throw invalid("roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }
        if (!REGION.matcher(region).matches()) {
            throw invalid("extra.region must be an AWS region such as us-east-1");
        }
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            throw invalid("extra.externalId must be 2 to 1224 characters of letters, digits and +=,.@:/-");
        }
        return new EcrRole(arn, externalId, region);
    }

    public String accountId() {
        return arnPart("account");
    }

    /** The registry of the role's account, for when GetAuthorizationToken names no proxyEndpoint. */
    public String defaultRegistryBase() {
        String suffix = arnPart("partition").equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
        return "https://" + accountId() + ".dkr.ecr." + region + "." + suffix;
    }

    private String arnPart(String group) {
        Matcher m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            throw new IllegalStateException("unchecked role ARN");
        }
        return m.group(group);
    }

    private static AgentException invalid(String message) {
        return new AgentException(ErrorCode.INVALID_CREDENTIALS, message);
    }

    /** The external id is a shared secret of sorts: never shown. */
    @Override
    public String toString() {
        return "EcrRole[" + roleArn + ", " + region + (externalId != null ? ", externalId=***" : "") + "]";
    }
}
