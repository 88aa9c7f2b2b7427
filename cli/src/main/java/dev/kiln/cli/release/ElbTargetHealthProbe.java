package dev.kiln.cli.release;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/** Asks ELBv2 ({@code DescribeTargetHealth}). Thread-safe. */
public final class ElbTargetHealthProbe implements TargetHealthProbe {

  private final ElasticLoadBalancingV2Client elb;

  public ElbTargetHealthProbe(ElasticLoadBalancingV2Client elb) {
    this.elb = elb;
  }

  @Override
  public Map<String, String> states(String targetGroupArn) {
    Map<String, String> states = new HashMap<>();
    for (TargetHealthDescription description :
        elb.describeTargetHealth(describe -> describe.targetGroupArn(targetGroupArn))
            .targetHealthDescriptions()) {
      String state = description.targetHealth().stateAsString();
      String reason = description.targetHealth().reasonAsString();
      states.put(description.target().id(), reason == null ? state : state + " (" + reason + ")");
    }
    return states;
  }
}
