// Schema tables for the review and token kinds of k8s.io/api/authorization/v1
// (SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview,
// LocalSubjectAccessReview), k8s.io/api/authentication/v1 (SelfSubjectReview, TokenRequest,
// TokenReview) and k8s.io/api/certificates/v1 (CertificateSigningRequest).
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf {

namespace authorization {
namespace {
const MessageSchema& SelfSubjectAccessReviewSpec();
const MessageSchema& SubjectAccessReviewSpec();
const MessageSchema& ResourceAttributes();
const MessageSchema& FieldSelectorAttributes();
const MessageSchema& LabelSelectorAttributes();
const MessageSchema& NonResourceAttributes();
const MessageSchema& SubjectAccessReviewStatus();
const MessageSchema& SelfSubjectRulesReviewSpec();
const MessageSchema& SubjectRulesReviewStatus();
const MessageSchema& ResourceRule();
const MessageSchema& NonResourceRule();

KC_PB_MESSAGE(SelfSubjectAccessReviewSpec,
              Message(1, "resourceAttributes", ResourceAttributes),
              Message(2, "nonResourceAttributes", NonResourceAttributes))

KC_PB_MESSAGE(SubjectAccessReviewSpec,
              Message(1, "resourceAttributes", ResourceAttributes),
              Message(2, "nonResourceAttributes", NonResourceAttributes), String(3, "user"),
              StringList(4, "groups"), ExtraMap(5, "extra"), String(6, "uid"))

KC_PB_MESSAGE(ResourceAttributes,
              String(1, "namespace"), String(2, "verb"), String(3, "group"),
              String(4, "version"), String(5, "resource"), String(6, "subresource"),
              String(7, "name"), Message(8, "fieldSelector", FieldSelectorAttributes),
              Message(9, "labelSelector", LabelSelectorAttributes))

KC_PB_MESSAGE(FieldSelectorAttributes,
              String(1, "rawSelector"),
              MessageList(2, "requirements", meta::FieldSelectorRequirement))

KC_PB_MESSAGE(LabelSelectorAttributes,
              String(1, "rawSelector"),
              MessageList(2, "requirements", meta::LabelSelectorRequirement))

KC_PB_MESSAGE(NonResourceAttributes, String(1, "path"), String(2, "verb"))

KC_PB_MESSAGE(SubjectAccessReviewStatus,
              BoolKeep(1, "allowed"), Bool(4, "denied"), String(2, "reason"),
              String(3, "evaluationError"))

KC_PB_MESSAGE(SelfSubjectRulesReviewSpec, String(1, "namespace"))

KC_PB_MESSAGE(SubjectRulesReviewStatus,
              MessageList(1, "resourceRules", ResourceRule),
              MessageList(2, "nonResourceRules", NonResourceRule), BoolKeep(3, "incomplete"),
              String(4, "evaluationError"))

KC_PB_MESSAGE(ResourceRule,
              StringList(1, "verbs"), StringList(2, "apiGroups"), StringList(3, "resources"),
              StringList(4, "resourceNames"))

KC_PB_MESSAGE(NonResourceRule, StringList(1, "verbs"), StringList(2, "nonResourceURLs"))
}  // namespace

KC_PB_MESSAGE(SelfSubjectAccessReview,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", SelfSubjectAccessReviewSpec),
              Message(3, "status", SubjectAccessReviewStatus))

KC_PB_MESSAGE(SelfSubjectRulesReview,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", SelfSubjectRulesReviewSpec),
              Message(3, "status", SubjectRulesReviewStatus))

KC_PB_MESSAGE(SubjectAccessReview,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", SubjectAccessReviewSpec),
              Message(3, "status", SubjectAccessReviewStatus))

KC_PB_MESSAGE(LocalSubjectAccessReview,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", SubjectAccessReviewSpec),
              Message(3, "status", SubjectAccessReviewStatus))
}  // namespace authorization

namespace authentication {
namespace {
const MessageSchema& SelfSubjectReviewStatus();
const MessageSchema& UserInfo();
const MessageSchema& TokenRequestSpec();
const MessageSchema& BoundObjectReference();
const MessageSchema& TokenRequestStatus();
const MessageSchema& TokenReviewSpec();
const MessageSchema& TokenReviewStatus();

KC_PB_MESSAGE(SelfSubjectReviewStatus, Message(1, "userInfo", UserInfo))

KC_PB_MESSAGE(UserInfo,
              String(1, "username"), String(2, "uid"), StringList(3, "groups"),
              ExtraMap(4, "extra"))

KC_PB_MESSAGE(TokenRequestSpec,
              StringList(1, "audiences"), Int64Keep(4, "expirationSeconds"),
              Message(3, "boundObjectRef", BoundObjectReference))

KC_PB_MESSAGE(BoundObjectReference,
              String(1, "kind"), String(2, "apiVersion"), String(3, "name"), String(4, "uid"))

KC_PB_MESSAGE(TokenRequestStatus, StringKeep(1, "token"), Time(2, "expirationTimestamp"))

KC_PB_MESSAGE(TokenReviewSpec, String(1, "token"), StringList(2, "audiences"))

KC_PB_MESSAGE(TokenReviewStatus,
              Bool(1, "authenticated"), Message(2, "user", UserInfo),
              StringList(4, "audiences"), String(3, "error"))
}  // namespace

KC_PB_MESSAGE(SelfSubjectReview,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "status", SelfSubjectReviewStatus))

KC_PB_MESSAGE(TokenRequest,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", TokenRequestSpec),
              Message(3, "status", TokenRequestStatus))

KC_PB_MESSAGE(TokenReview,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", TokenReviewSpec),
              Message(3, "status", TokenReviewStatus))
}  // namespace authentication

namespace certificates {
namespace {
const MessageSchema& CertificateSigningRequestSpec();
const MessageSchema& CertificateSigningRequestStatus();
const MessageSchema& CertificateSigningRequestCondition();

KC_PB_MESSAGE(CertificateSigningRequestSpec,
              BytesKeep(1, "request"), StringKeep(7, "signerName"),
              Int32Keep(8, "expirationSeconds"), StringList(5, "usages"), String(2, "username"),
              String(3, "uid"), StringList(4, "groups"), ExtraMap(6, "extra"))

KC_PB_MESSAGE(CertificateSigningRequestStatus,
              MessageList(1, "conditions", CertificateSigningRequestCondition),
              Bytes(2, "certificate"))

KC_PB_MESSAGE(CertificateSigningRequestCondition,
              StringKeep(1, "type"), StringKeep(6, "status"), String(2, "reason"),
              String(3, "message"), Time(4, "lastUpdateTime"), Time(5, "lastTransitionTime"))
}  // namespace

KC_PB_MESSAGE(CertificateSigningRequest,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", CertificateSigningRequestSpec),
              Message(3, "status", CertificateSigningRequestStatus))
}  // namespace certificates

}  // namespace kc::protobuf
