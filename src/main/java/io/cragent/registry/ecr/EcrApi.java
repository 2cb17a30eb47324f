package io.cragent.registry.ecr;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ListImagesRequest;
import software.amazon.awssdk.services.ecr.model.ListImagesResponse;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.TagStatus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * ECR's own listing APIs, signed with the role's session credentials: {@code DescribeRepositories},
 * {@code ListImages} and {@code DescribeImages}, each followed through every {@code nextToken} (a repeated token or
 * the page cap stops the walk). A call AWS answers with an expired-token error is made once more on a new session.
 */
public final class EcrApi {
    private final EcrSessions sessions;
    private final AwsClients aws;
    private final EcrSettings settings;

    public EcrApi(EcrSessions sessions, AwsClients aws, EcrSettings settings) {
        this.sessions = sessions;
        this.aws = aws;
        this.settings = settings;
    }

    public EcrSessions sessions() {
        return sessions;
    }

    /** Every repository name of the role's registry. */
    public List<String> repositories(EcrRole role) {
        List<String> names = new ArrayList<>();
        Calls calls = new Calls(role, null);
        walk(token -> calls.call((ecr, session) -> ecr.describeRepositories(
                withSession(DescribeRepositoriesRequest.builder().maxResults(settings.pageSize()).nextToken(token),
                        session).build())), page -> {
            page.repositories().stream().map(Repository::repositoryName).forEach(names::add);
            return page.nextToken();
        });
        return List.copyOf(new LinkedHashSet<>(names));
    }

    /** Every tag of a repository, in ECR's order. */
    public List<String> tags(EcrRole role, String repository) {
        Set<String> tags = new LinkedHashSet<>();
        Calls calls = new Calls(role, repository);
        walk(token -> listImages(calls, repository, settings.pageSize(), token), page -> {
            page.imageIds().stream().map(ImageIdentifier::imageTag).filter(t -> t != null).forEach(tags::add);
            return page.nextToken();
        });
        return List.copyOf(tags);
    }

    /** One page of tags; {@code next} is ECR's token for the following page, null on the last. */
    public TagsPage tagsPage(EcrRole role, String repository, int pageSize, String token) {
        ListImagesResponse page = listImages(new Calls(role, repository), repository, pageSize, token);
        List<String> tags = page.imageIds().stream().map(ImageIdentifier::imageTag).filter(t -> t != null).toList();
        return new TagsPage(tags, page.nextToken());
    }

    /** The details of every tagged image: digest, tags, manifest media type, push time. */
    public List<ImageDetail> taggedImages(EcrRole role, String repository) {
        List<ImageDetail> images = new ArrayList<>();
        Calls calls = new Calls(role, repository);
        walk(token -> calls.call((ecr, session) -> ecr.describeImages(
                withSession(DescribeImagesRequest.builder().repositoryName(repository)
                        .filter(f -> f.tagStatus(TagStatus.TAGGED)).maxResults(settings.pageSize())
                        .nextToken(token), session).build())), (DescribeImagesResponse page) -> {
            images.addAll(page.imageDetails());
            return page.nextToken();
        });
        return images;
    }

    /** A page of tags and the token of the next one. */
    public record TagsPage(List<String> tags, String next) {
    }

    private ListImagesResponse listImages(Calls calls, String repository, int pageSize, String token) {
        return calls.call((ecr, session) -> ecr.listImages(withSession(ListImagesRequest.builder()
                .repositoryName(repository).filter(f -> f.tagStatus(TagStatus.TAGGED)).maxResults(pageSize)
                .nextToken(token), session).build()));
    }

    private <T> void walk(Function<String, T> fetch, Function<T, String> consume) {
        Set<String> seen = new HashSet<>();
        String token = null;
        for (int page = 0; page < settings.pageCap(); page++) {
            token = consume.apply(fetch.apply(token));
            if (token == null || token.isEmpty() || !seen.add(token)) {
                return;
            }
        }
        throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "ECR listing has more than "
                + settings.pageCap() + " pages; stopped");
    }

    /** One listing's calls: one session for all its pages, renewed once if AWS declares it expired. */
    private final class Calls {
        private final EcrRole role;
        private final String repository;
        private EcrSession session;

        Calls(EcrRole role, String repository) {
            this.role = role;
            this.repository = repository;
        }

        <T> T call(BiFunction<EcrClient, EcrSession, T> operation) {
            if (session == null) {
                session = sessions.session(role);
            }
            try {
                return operation.apply(aws.ecr(role.region()), session);
            } catch (SdkException e) {
                if (!AwsErrors.isExpiredToken(e)) {
                    throw AwsErrors.ecr(e, role, repository);
                }
                sessions.invalidate(role, session);
            }
            session = sessions.session(role);
            try {
                return operation.apply(aws.ecr(role.region()), session);
            } catch (SdkException e) {
                throw AwsErrors.ecr(e, role, repository);
            }
        }
    }

    private static <B extends AwsRequest.Builder> B withSession(B request, EcrSession session) {
        request.overrideConfiguration(c -> c.credentialsProvider(StaticCredentialsProvider.create(session.credentials())));
        return request;
    }
}
