package io.cragent.agent.ecr;

import io.cragent.testsupport.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The AWS side of an ECR customer, set up in moto before its IAM checks are switched on: the agent's IAM user
 * (its access key is the agent's own identity), roles that trust it (one requiring an external id), each allowed
 * the ECR read calls, and ECR repositories with images.
 */
final class MotoAccount implements AutoCloseable {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final String AGENT_USER = "cr-agent";
    static final String READER_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/snyk-ecr-reader";
    static final String EXTERNAL_ID_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/snyk-ecr-external";
    static final String UNTRUSTED_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/not-for-the-agent";
    static final String EXTERNAL_ID = "snyk-ext-7f3a9c";
    /** moto's GetAuthorizationToken password: {@code <registry id>-auth-token}. */
    static final String REGISTRY_PASSWORD = ACCOUNT + "-auth-token";

    private final IamClient iam;
    private final EcrClient ecr;
    private AccessKey agentKey;

    MotoAccount(MotoServer moto) {
        StaticCredentialsProvider setup = StaticCredentialsProvider.create(AwsBasicCredentials.create("setup", "setup"));
        iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(moto.endpoint()).credentialsProvider(setup).build();
        ecr = EcrClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint()).credentialsProvider(setup).build();
    }

    /** The agent's user, allowed to assume the two roles meant for it (and no other). */
    MotoAccount agentIdentity() {
        iam.createUser(b -> b.userName(AGENT_USER));
        agentKey = iam.createAccessKey(b -> b.userName(AGENT_USER)).accessKey();
        iam.putUserPolicy(b -> b.userName(AGENT_USER).policyName("assume-snyk-roles").policyDocument(
                allow("sts:AssumeRole", List.of(READER_ROLE, EXTERNAL_ID_ROLE))));
        return this;
    }

    MotoAccount roles() {
        String agent = "arn:aws:iam::" + ACCOUNT + ":user/" + AGENT_USER;
        role("snyk-ecr-reader", trust(agent, null));
        role("snyk-ecr-external", trust(agent, EXTERNAL_ID));
        role("not-for-the-agent", trust(agent, null));
        return this;
    }

    void repository(String name) {
        ecr.createRepository(b -> b.repositoryName(name));
    }

    /** Registers a manifest under a tag, with the digest the registry serves it under. */
    void image(String repository, String tag, byte[] manifest, String mediaType, String digest) {
        ecr.putImage(b -> b.repositoryName(repository).imageTag(tag).imageManifestMediaType(mediaType)
                .imageDigest(digest).imageManifest(new String(manifest, java.nio.charset.StandardCharsets.UTF_8)));
    }

    String agentAccessKeyId() {
        return agentKey.accessKeyId();
    }

    String agentSecretAccessKey() {
        return agentKey.secretAccessKey();
    }

    private void role(String name, String trustPolicy) {
        iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trustPolicy));
        iam.putRolePolicy(b -> b.roleName(name).policyName("ecr-read").policyDocument(allow(
                "ecr:GetAuthorizationToken\", \"ecr:DescribeRepositories\", \"ecr:ListImages\", \"ecr:DescribeImages\", "
                        + "\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer", List.of("*"))));
    }

    private static String trust(String principal, String externalId) {
        String condition = externalId == null ? ""
                : ", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"" + externalId + "\"}}";
        return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
                + principal + "\"}, \"Action\": \"sts:AssumeRole\"" + condition + "}]}";
    }

    private static String allow(String actions, List<String> resources) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"" + actions
                + "\"], \"Resource\": [" + resources.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "))
                + "]}]}";
    }

    @Override
    public void close() {
        iam.close();
        ecr.close();
    }
}
